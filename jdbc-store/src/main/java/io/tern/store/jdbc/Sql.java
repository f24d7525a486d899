package io.tern.store.jdbc;

import java.util.List;

/** Every SQL statement the JDBC store runs, built once from its {@link Schema} and {@link Dialect}. */
final class Sql {
    final String insertMessage;
    final String deleteMessage;
    final String deleteContainer;
    final String readMessage;
    final String page;
    final String containers;
    final String countMessages;
    final String maxMessageId;
    final String maxPreparedId;
    final String sumSizes;
    final String messageExists;

    final String updateSubscription;
    final String insertSubscription;
    final String deleteSubscription;
    final String subscriptions;
    final String maxSubscriptionSeq;

    final String upsertMark;
    final String deleteMark;
    final String readMark;

    final String insertPrepared;
    final String insertPreparedAdd;
    final String insertPreparedRemove;
    final String preparedExists;
    final String applyPreparedAdds;
    final String preparedAddTotals;
    final String preparedRemoves;
    final String deletePrepared;
    final String deletePreparedAdds;
    final String deletePreparedRemoves;
    final String prepared;
    final String allPreparedAdds;
    final String allPreparedRemoves;
    final String maxPreparedSeq;

    final String spaceByContainer;

    Sql(Schema t, Dialect d) {
        String m = t.messages;
        insertMessage = "INSERT INTO " + m + " (container, id, envelope_size, envelope) VALUES (?, ?, ?, ?)";
        deleteMessage = "DELETE FROM " + m + " WHERE container = ? AND id = ?";
        deleteContainer = "DELETE FROM " + m + " WHERE container = ?";
        readMessage = "SELECT envelope FROM " + m + " WHERE container = ? AND id = ?";
        page = d.page("SELECT id, envelope FROM " + m + " WHERE container = ? AND id > ? ORDER BY id");
        containers = "SELECT DISTINCT container FROM " + m;
        countMessages = "SELECT COUNT(*) FROM " + m + " WHERE container = ?";
        maxMessageId = "SELECT MAX(id) FROM " + m + " WHERE container = ?";
        maxPreparedId = "SELECT MAX(id) FROM " + t.preparedAdds + " WHERE container = ?";
        sumSizes = "SELECT COUNT(*), SUM(envelope_size) FROM " + m;
        messageExists = "SELECT 1 FROM " + m + " WHERE container = ? AND id = ?";

        String s = t.subscriptions;
        updateSubscription = "UPDATE " + s + " SET client_id = ?, name = ?, topic = ?, selector = ?, no_local = ?,"
                + " is_shared = ? WHERE container = ?";
        insertSubscription = "INSERT INTO " + s + " (client_id, name, topic, selector, no_local, is_shared,"
                + " container, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        deleteSubscription = "DELETE FROM " + s + " WHERE container = ?";
        subscriptions = "SELECT client_id, name, topic, selector, no_local, is_shared, container FROM " + s
                + " ORDER BY seq";
        maxSubscriptionSeq = "SELECT MAX(seq) FROM " + s;

        upsertMark = d.upsert(t.marks, List.of("container"), List.of("id"));
        deleteMark = "DELETE FROM " + t.marks + " WHERE container = ?";
        readMark = "SELECT id FROM " + t.marks + " WHERE container = ?";

        String p = t.prepared;
        String pa = t.preparedAdds;
        String pr = t.preparedRemoves;
        insertPrepared = "INSERT INTO " + p + " (xid, seq) VALUES (?, ?)";
        insertPreparedAdd = "INSERT INTO " + pa + " (container, id, xid, pos, envelope_size, envelope)"
                + " VALUES (?, ?, ?, ?, ?, ?)";
        insertPreparedRemove = "INSERT INTO " + pr + " (xid, pos, container, id) VALUES (?, ?, ?, ?)";
        preparedExists = "SELECT 1 FROM " + p + " WHERE xid = ?";
        applyPreparedAdds = "INSERT INTO " + m + " (container, id, envelope_size, envelope) SELECT container, id,"
                + " envelope_size, envelope FROM " + pa + " WHERE xid = ?";
        preparedAddTotals = "SELECT COUNT(*), SUM(envelope_size) FROM " + pa + " WHERE xid = ?";
        preparedRemoves = "SELECT container, id FROM " + pr + " WHERE xid = ? ORDER BY pos";
        deletePrepared = "DELETE FROM " + p + " WHERE xid = ?";
        deletePreparedAdds = "DELETE FROM " + pa + " WHERE xid = ?";
        deletePreparedRemoves = "DELETE FROM " + pr + " WHERE xid = ?";
        prepared = "SELECT xid FROM " + p + " ORDER BY seq";
        allPreparedAdds = "SELECT xid, container, id, envelope FROM " + pa + " ORDER BY pos";
        allPreparedRemoves = "SELECT xid, container, id FROM " + pr + " ORDER BY pos";
        maxPreparedSeq = "SELECT MAX(seq) FROM " + p;

        spaceByContainer = "SELECT container, COUNT(*), SUM(envelope_size), MIN(id), MAX(id) FROM " + m
                + " GROUP BY container ORDER BY container";
    }
}

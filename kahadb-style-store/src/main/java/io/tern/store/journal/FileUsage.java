package io.tern.store.journal;

import io.tern.broker.store.StoredSubscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Why each data file of a journal is still on disk, worked out from its records alone: the live messages it holds
 * (by destination, with their ids), the durable subscriptions recorded in it, and the older files whose messages
 * its REMOVE records cancel (a file holding removes must outlive the files holding their adds, or a restart would
 * bring those messages back). The answer to "what is keeping my disk full?" that {@code ./tern journal why} prints.
 */
final class FileUsage {
    private record Key(String queue, long id) {
    }

    private final List<String> files = new ArrayList<>();
    private final Map<Key, String> liveAdds = new HashMap<>();
    private final Map<String, String> liveSubscriptions = new LinkedHashMap<>();
    private final Map<String, Map<Key, String>> cancels = new HashMap<>();

    /** The next file, in order; its records follow through {@link #visitor(String)}. */
    void file(String name) {
        files.add(name);
    }

    RecordCodec.Visitor visitor(String file) {
        return new RecordCodec.Visitor() {
            @Override
            public void add(String queue, long id, int envelopeOffset, int envelopeLength) {
                liveAdds.put(new Key(queue, id), file);
            }

            @Override
            public void remove(String queue, long id) {
                Key key = new Key(queue, id);
                String addedIn = liveAdds.remove(key);
                if (addedIn != null && !addedIn.equals(file)) {
                    cancels.computeIfAbsent(file, f -> new HashMap<>()).put(key, addedIn);
                }
            }

            @Override
            public void subscribe(StoredSubscription subscription) {
                liveSubscriptions.put(subscription.container(), file);
            }

            @Override
            public void unsubscribe(String container) {
                liveSubscriptions.remove(container);
                liveAdds.keySet().removeIf(k -> k.queue().equals(container));
            }
        };
    }

    /** One line per file, oldest first, saying what keeps it. */
    List<String> report() {
        Map<String, Map<String, TreeSet<Long>>> live = new TreeMap<>();
        liveAdds.forEach((key, file) -> live.computeIfAbsent(file, f -> new TreeMap<>())
                .computeIfAbsent(key.queue(), q -> new TreeSet<>()).add(key.id()));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String file = files.get(i);
            List<String> reasons = new ArrayList<>();
            live.getOrDefault(file, Map.of()).forEach((queue, ids) -> reasons.add(ids.size() + " live message"
                    + (ids.size() == 1 ? "" : "s") + " of '" + queue + "' (ids " + ids.first()
                    + (ids.size() > 1 ? ".." + ids.last() : "") + ")"));
            liveSubscriptions.forEach((container, f) -> {
                if (f.equals(file)) {
                    reasons.add("durable subscription " + container);
                }
            });
            TreeSet<String> guards = new TreeSet<>();
            guards.addAll(cancels.getOrDefault(file, Map.of()).values());
            if (!guards.isEmpty()) {
                reasons.add("its removes cancel messages added in " + String.join(", ", guards)
                        + " (still on disk; this file goes after " + (guards.size() == 1 ? "it" : "them") + ")");
            }
            if (i == files.size() - 1) {
                reasons.add("it is the file being written");
            }
            lines.add(file + ": " + (reasons.isEmpty() ? "nothing; the next collection deletes it"
                    : String.join("; ", reasons)));
        }
        return lines;
    }
}

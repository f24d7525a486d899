package io.tern.broker.paging;

import io.tern.broker.destination.BrokerMessage;
import io.tern.broker.dispatch.QueueEntry;
import io.tern.broker.selector.MessageFilter;
import io.tern.broker.store.Store;
import io.tern.jms.wire.MalformedFrameException;
import io.tern.jms.wire.MessageEnvelope;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A browser's view of a paging container: the held messages first, then those in the store only, read one page at
 * a time as the browser asks for more (so a browse of a large backlog holds one page, not the backlog). Stored
 * messages that are expired, not yet due, malformed or not matched by the filter are passed over. Not thread-safe:
 * one browse drives it.
 */
final class StoredBrowse implements Iterator<QueueEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(StoredBrowse.class);

    private final Iterator<QueueEntry> held;
    private final Store store;
    private final String container;
    private final String description;
    private final Set<Long> skip;
    private final MessageFilter filter;
    private final int pageSize;
    private final Deque<QueueEntry> page = new ArrayDeque<>();
    private long after;
    private boolean storeDone;

    /**
     * @param after the highest id held: stored messages above it are read
     * @param skip  ids above {@code after} that are held or not yet arrived: passed over
     */
    StoredBrowse(Iterator<QueueEntry> held, Store store, String container, String description, long after,
                 Set<Long> skip, MessageFilter filter, int pageSize) {
        this.held = held;
        this.store = store;
        this.container = container;
        this.description = description;
        this.after = after;
        this.skip = skip;
        this.filter = filter;
        this.pageSize = pageSize;
    }

    @Override
    public boolean hasNext() {
        if (held.hasNext()) {
            return true;
        }
        while (page.isEmpty() && !storeDone) {
            readPage();
        }
        return !page.isEmpty();
    }

    @Override
    public QueueEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return held.hasNext() ? held.next() : page.poll();
    }

    private void readPage() {
        long now = System.currentTimeMillis();
        int read;
        try {
            read = store.recover(container, after, pageSize, m -> {
                after = m.id();
                if (skip.contains(m.id())) {
                    return;
                }
                try {
                    BrokerMessage message = new BrokerMessage(MessageEnvelope.parse(m.envelope()), null);
                    if (!message.isExpired(now) && message.header().deliveryTime() <= now
                            && filter.matches(message, 1)) {
                        page.add(new QueueEntry(message, m.id()));
                    }
                } catch (MalformedFrameException e) {
                    // passed over here; the pager logs and removes it when it reaches it
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("TERN-B0604 could not read the stored messages of {} after id {} for a browser: {}; the browse"
                    + " ends there", description, after, e.toString());
            read = 0;
        }
        if (read < pageSize) {
            storeDone = true;
        }
    }
}

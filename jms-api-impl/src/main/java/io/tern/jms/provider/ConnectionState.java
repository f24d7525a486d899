package io.tern.jms.provider;

import io.tern.jms.wire.Frame;
import io.tern.jms.wire.SessionMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link FailoverProvider} re-creates on the next broker, in the order the application created it: sessions,
 * consumers (with their durable or shared subscription, selector and noLocal flag) and temporary destinations.
 * Producers and the started state live in the client only and need nothing on the broker. Browsers are not kept:
 * a browse is a snapshot of one broker's queue and ends with that broker. Not thread-safe: the provider guards it.
 */
final class ConnectionState {
    /** One frame that made broker state, and the request that sent it (so a replay can answer it). */
    record Entry(Frame frame, FailoverRequest origin) {
    }

    private record Key(Class<?> type, Object id) {
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private final Map<Integer, SessionMode> sessionModes = new LinkedHashMap<>();

    /** Keeps a frame that makes broker state (answered or not yet); ignores any other. */
    void record(Frame frame, FailoverRequest origin) {
        Key key = keyOf(frame);
        if (key != null) {
            entries.put(key, new Entry(frame, origin));
            if (frame instanceof Frame.SessionOpen s) {
                sessionModes.put(s.sessionId(), s.mode());
            }
        }
    }

    /** Forgets what a closing frame closes (a session takes its consumers with it). */
    void forget(Frame frame) {
        if (frame instanceof Frame.SessionClose s) {
            entries.remove(new Key(Frame.SessionOpen.class, s.sessionId()));
            entries.values().removeIf(e -> e.frame() instanceof Frame.ConsumerOpen c
                    && c.sessionId() == s.sessionId());
            sessionModes.remove(s.sessionId());
        } else if (frame instanceof Frame.ConsumerClose c) {
            entries.remove(new Key(Frame.ConsumerOpen.class, c.consumerId()));
        } else if (frame instanceof Frame.TempDelete t) {
            entries.remove(new Key(Frame.TempCreate.class, t.destination()));
        }
    }

    /** The broker refused a frame that would have made state: there is nothing to re-create. */
    void refused(Frame frame) {
        Key key = keyOf(frame);
        if (key != null) {
            entries.remove(key);
        }
    }

    /** The request {@code origin} failed: forget its frame, unless a later request has replaced the entry. */
    void refused(Frame frame, FailoverRequest origin) {
        Key key = keyOf(frame);
        if (key != null) {
            Entry e = entries.get(key);
            if (e != null && e.origin() == origin) {
                entries.remove(key);
            }
        }
    }

    /** True when the frame makes state a replay re-creates. */
    static boolean isState(Frame frame) {
        return keyOf(frame) != null;
    }

    boolean isTransacted(int sessionId) {
        return sessionModes.get(sessionId) == SessionMode.TRANSACTED;
    }

    List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    private static Key keyOf(Frame frame) {
        if (frame instanceof Frame.SessionOpen s) {
            return new Key(Frame.SessionOpen.class, s.sessionId());
        }
        if (frame instanceof Frame.ConsumerOpen c && !c.has(Frame.ConsumerOpen.BROWSER)) {
            return new Key(Frame.ConsumerOpen.class, c.consumerId());
        }
        if (frame instanceof Frame.TempCreate t) {
            return new Key(Frame.TempCreate.class, t.destination());
        }
        return null;
    }

    /** The same frame with another correlation id. */
    static Frame withCorrelation(Frame frame, int corr) {
        if (frame instanceof Frame.SessionOpen s) {
            return new Frame.SessionOpen(corr, s.sessionId(), s.mode());
        }
        if (frame instanceof Frame.ConsumerOpen c) {
            return new Frame.ConsumerOpen(corr, c.consumerId(), c.sessionId(), c.destination(), c.selector(),
                    c.flags(), c.subscriptionName(), c.prefetch());
        }
        if (frame instanceof Frame.TempCreate t) {
            return new Frame.TempCreate(corr, t.destination());
        }
        throw new IllegalArgumentException("not a state frame: " + frame);
    }
}

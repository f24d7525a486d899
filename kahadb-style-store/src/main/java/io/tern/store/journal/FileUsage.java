package io.tern.store.journal;

import io.tern.broker.store.StoredSubscription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Why each data file of a journal is still on disk, worked out from its checkpoint and records: the live messages
 * it holds (by destination, with their ids), the durable subscriptions recorded in it, and the older files whose
 * messages its REMOVE records cancel (a file holding removes must outlive the files holding their adds, or a restart
 * would bring those messages back, unless the kept checkpoints cover it; see {@link FileCollector}). The answer to
 * "what is keeping my disk full?" that {@code ./tern journal why} prints.
 *
 * <p>What is live comes from the newest usable checkpoint ({@link #checkpoint}) and the records after its position,
 * as a restart would see it; which files a file's removes cancel comes from every record on disk.
 */
final class FileUsage {
    private record Key(String queue, long id) {
    }

    private final List<String> files = new ArrayList<>();
    /** What a restart would find live, with the file each is in. */
    private final Map<Key, String> liveAdds = new HashMap<>();
    private final Map<String, String> liveSubscriptions = new LinkedHashMap<>();
    /** Every add on disk not removed by a later record, for what removes cancel. */
    private final Map<Key, String> history = new HashMap<>();
    private final Map<String, Map<Key, String>> cancels = new HashMap<>();
    private String checkpoint;
    private JournalPosition position = JournalPosition.START;
    /** Where recoveries may start, as {@link FileCollector#floors}: a full replay until a checkpoint is seen. */
    private int[] floors = {0};

    /**
     * Starts from a checkpoint: what it holds is live, and only records after {@code at} change that.
     *
     * @param kept the checkpoints a store would keep, oldest first (the last one is {@code name})
     */
    CheckpointReader.Visitor checkpoint(String name, JournalPosition at, List<Checkpointer.Kept> kept) {
        checkpoint = name;
        position = at;
        floors = Checkpointer.floors(kept);
        Arrays.sort(floors);
        return new CheckpointReader.Visitor() {
            @Override
            public void message(String queue, long id, Location where) {
                liveAdds.put(new Key(queue, id), JournalFile.name(where.file()));
            }

            @Override
            public void subscription(StoredSubscription subscription, int file) {
                liveSubscriptions.put(subscription.container(), JournalFile.name(file));
            }

            @Override
            public void file(int file, int liveAdds, int[] cancelled) {
                // the references follow from the messages, subscriptions and records
            }
        };
    }

    /** The next file, in order; its records follow through {@link #visitor}. */
    void file(String name) {
        files.add(name);
    }

    /** The visitor for one record at {@code offset} of data file {@code number}. */
    RecordCodec.Visitor visitor(int number, long offset) {
        String file = JournalFile.name(number);
        boolean replayed = position.compareTo(new JournalPosition(number, offset)) <= 0;
        return new RecordCodec.Visitor() {
            @Override
            public void add(String queue, long id, int envelopeOffset, int envelopeLength) {
                history.put(new Key(queue, id), file);
                if (replayed) {
                    liveAdds.put(new Key(queue, id), file);
                }
            }

            @Override
            public void remove(String queue, long id) {
                Key key = new Key(queue, id);
                String addedIn = history.remove(key);
                if (addedIn != null && !addedIn.equals(file)) {
                    cancels.computeIfAbsent(file, f -> new HashMap<>()).put(key, addedIn);
                }
                if (replayed) {
                    liveAdds.remove(key);
                }
            }

            @Override
            public void subscribe(StoredSubscription subscription) {
                if (replayed) {
                    liveSubscriptions.put(subscription.container(), file);
                }
            }

            @Override
            public void unsubscribe(String container) {
                history.keySet().removeIf(k -> k.queue().equals(container));
                if (replayed) {
                    liveSubscriptions.remove(container);
                    liveAdds.keySet().removeIf(k -> k.queue().equals(container));
                }
            }
        };
    }

    /** One line on where a restart starts, then one per file, oldest first, saying what keeps it. */
    List<String> report() {
        Map<String, Map<String, TreeSet<Long>>> live = new TreeMap<>();
        liveAdds.forEach((key, file) -> live.computeIfAbsent(file, f -> new TreeMap<>())
                .computeIfAbsent(key.queue(), q -> new TreeSet<>()).add(key.id()));
        Set<Integer> onDisk = new TreeSet<>();
        files.forEach(f -> onDisk.add(JournalFile.numberOf(Path.of(f))));
        int current = files.isEmpty() ? -1 : JournalFile.numberOf(Path.of(files.get(files.size() - 1)));
        List<String> lines = new ArrayList<>();
        lines.add(checkpoint == null ? "no checkpoint: a start replays every data file"
                : checkpoint + ": a start loads the index as of " + position + " and replays only what follows");
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
            TreeSet<String> guards = new TreeSet<>(cancels.getOrDefault(file, Map.of()).values());
            guards.removeIf(g -> !onDisk.contains(JournalFile.numberOf(Path.of(g))));
            String covered = null;
            if (!guards.isEmpty()) {
                Set<Integer> cancelled = new TreeSet<>();
                guards.forEach(g -> cancelled.add(JournalFile.numberOf(Path.of(g))));
                String what = "its removes cancel messages added in " + String.join(", ", guards);
                if (FileCollector.deletable(JournalFile.numberOf(Path.of(file)), current, reasons.size(), cancelled,
                        onDisk::contains, floors)) {
                    covered = what + ", but the kept checkpoints come after all of it";
                } else {
                    reasons.add(what + " (still on disk; this file goes after " + (guards.size() == 1 ? "it" : "them")
                            + ", or once both kept checkpoints come after this file)");
                }
            }
            if (i == files.size() - 1) {
                reasons.add("it is the file being written");
            }
            lines.add(file + ": " + (reasons.isEmpty() ? "nothing" + (covered == null ? "" : " (" + covered + ")")
                    + "; the next collection deletes it" : String.join("; ", reasons)));
        }
        return lines;
    }
}

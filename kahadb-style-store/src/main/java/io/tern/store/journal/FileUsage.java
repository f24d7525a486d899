package io.tern.store.journal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Why each data file of a journal is still on disk: the live messages it holds (by destination, with their ids),
 * the durable subscriptions, prepared branches and delivered marks recorded in it, and the older files whose records
 * its records cancel (a file holding removes must outlive the files holding their adds, or a restart would bring
 * those messages back, unless both kept checkpoints come after it; see {@link FileCollector}). The answer to "what
 * is keeping my disk full?".
 *
 * <p>One piece of code answers for the running store ({@link JournalStore#describeSpace()}, from its in-memory
 * state) and for the offline tool ({@code ./tern journal why}, from the same state rebuilt by {@link Recovery} with
 * its own rules: the newest usable checkpoint and the records after it), so both say the same thing about the same
 * directory.
 */
final class FileUsage {
    /** The live messages of one destination in one file: how many, the lowest and the highest id. */
    private static final class Ids {
        long count;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;

        void add(long id) {
            count++;
            first = Math.min(first, id);
            last = Math.max(last, id);
        }
    }

    private FileUsage() {
    }

    /**
     * The line saying where a start begins: the newest kept checkpoint (oldest first in {@code kept}) and the
     * records after its position, or every data file.
     */
    static String start(List<Checkpointer.Kept> kept) {
        if (kept.isEmpty()) {
            return "no checkpoint: a start replays every data file";
        }
        Checkpointer.Kept newest = kept.get(kept.size() - 1);
        return newest.path().getFileName() + ": a start loads the index as of " + newest.position()
                + " and replays only what follows";
    }

    /**
     * One line per data file, oldest first, saying what keeps it.
     *
     * @param files   the data files on disk, in order
     * @param current the file being written (-1 for none)
     * @param floors  where recoveries may start, as {@link FileCollector#floors()}: decides whether a file's
     *                cancelled older files still keep it
     */
    static List<String> describe(List<Integer> files, int current, MessageIndex index,
                                 SubscriptionIndex subscriptions, PreparedBranches branches, MarkIndex marks,
                                 FileReferences references, int[] floors) {
        Map<Integer, Map<String, Ids>> live = liveMessages(index);
        Set<Integer> present = new HashSet<>(files);
        List<String> lines = new ArrayList<>(files.size());
        for (int file : files) {
            List<String> reasons = new ArrayList<>();
            live.getOrDefault(file, Map.of()).forEach((queue, ids) -> reasons.add(ids.count + " live message"
                    + (ids.count == 1 ? "" : "s") + " of '" + queue + "' (ids " + ids.first
                    + (ids.count > 1 ? ".." + ids.last : "") + ")"));
            for (SubscriptionIndex.Entry entry : subscriptions.entries()) {
                if (entry.file == file) {
                    reasons.add("durable subscription " + entry.subscription.container());
                }
            }
            for (PreparedBranches.Branch branch : branches.inFile(file)) {
                reasons.add("prepared branch " + branch.hex());
            }
            for (MarkIndex.Entry mark : marks.entries()) {
                if (mark.file == file) {
                    reasons.add("delivered mark of '" + mark.container + "'");
                }
            }
            TreeSet<Integer> guards = new TreeSet<>(references.cancelledIn(file));
            guards.retainAll(present);
            String covered = null;
            if (!guards.isEmpty()) {
                String what = "its removes cancel messages added in " + String.join(", ",
                        guards.stream().map(JournalFile::name).toList());
                // the guards alone, as the collector weighs them (live records and the current file aside)
                if (FileCollector.deletable(file, -1, 0, guards, present::contains, floors)) {
                    covered = what + ", but the kept checkpoints come after all of it";
                } else {
                    reasons.add(what + " (still on disk; this file goes after " + (guards.size() == 1 ? "it" : "them")
                            + ", or once both kept checkpoints come after this file)");
                }
            }
            if (file == current) {
                reasons.add("it is the file being written");
            }
            lines.add(JournalFile.name(file) + ": " + (reasons.isEmpty() ? "nothing"
                    + (covered == null ? "" : " (" + covered + ")") + "; the next collection deletes it"
                    : String.join("; ", reasons)));
        }
        return lines;
    }

    /** Live messages by file, then destination (sorted). Messages not written yet are in no file. */
    private static Map<Integer, Map<String, Ids>> liveMessages(MessageIndex index) {
        Map<Integer, Map<String, Ids>> live = new HashMap<>();
        MessageIndex.forEach(index.snapshot(), (queue, id, at) -> live.computeIfAbsent(at.file(),
                f -> new TreeMap<>()).computeIfAbsent(queue, q -> new Ids()).add(id), true);
        return live;
    }
}

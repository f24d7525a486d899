package io.tern.store.journal;

import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index, the subscriptions, the prepared branches, the delivered marks and the file references: from
 * the newest usable checkpoint, replaying only the records after its position, or (no usable checkpoint) by
 * replaying every data file in order. A checkpoint is unusable when it is damaged ({@link CheckpointReader}), when
 * the data file holding its position is shorter than the position, or when after replay a live record (a message,
 * subscription, prepared branch or mark) lies in a data file that is gone; recovery then logs why
 * ({@code TERN-J0041}), sets the file aside as {@code checkpoint-N.ckpt.unusable} and tries the next older
 * checkpoint, and at last replays every data file.
 *
 * <p>Bad data never stops it and is never replayed:
 * <ul>
 * <li>a torn tail (a partial or garbled last record of the last file, with no valid record after it) is truncated
 *     at the end of the last valid record;</li>
 * <li>a zeroed tail (zeros written ahead of the records, see {@link JournalFile}) is cut off silently: it is not
 *     damage;</li>
 * <li>a bad record anywhere else (wrong CRC, impossible header, malformed payload) is logged with its file and
 *     offset and skipped: replay goes on at the next offset where a valid record starts;</li>
 * <li>a last file too short to hold its header (a crash while creating it) is deleted; any other file with a
 *     garbled header is logged and left alone, outside the journal.</li>
 * </ul>
 * Only a file of another format version (data file or checkpoint) stops recovery, with a {@link JournalException}
 * naming both versions.
 *
 * <p>Replaying a record the state already reflects changes nothing (an ADD, MOVE or committed add at the location
 * the index holds, a PREPARE of the branch as the checkpoint holds it, a second REMOVE, COMMIT_PREPARED or
 * ROLLBACK_PREPARED of what is gone), so an overlap between a checkpoint and the records replayed is harmless. A
 * MOVE (or a PREPARE of a branch prepared already) is compaction's rewrite: the record now lives where it is.
 *
 * <p>{@link #inspect} runs the same rules without changing any file, for the offline tool.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /**
     * What recovery hands the store: the files to keep using, the next file number, the lowest file number it may
     * append to, the report, the rebuilt state, the checkpoints kept (oldest first) and the next checkpoint
     * sequence.
     */
    record Result(List<JournalFile> files, int nextNumber, int appendFloor, RecoveryReport report,
                  MessageIndex index, SubscriptionIndex subscriptions, PreparedBranches branches, MarkIndex marks,
                  FileReferences references, List<Checkpointer.Kept> checkpoints, long nextCheckpointSequence) {
    }

    private final Path dir;
    private final RecoveryReport report;
    private final boolean readOnly;
    private final MessageIndex index = new MessageIndex();
    private final SubscriptionIndex subscriptions = new SubscriptionIndex();
    private final PreparedBranches branches = new PreparedBranches();
    private final MarkIndex marks = new MarkIndex();
    private final FileReferences references = new FileReferences();
    private long records;
    private int replayedFiles;

    private Recovery(Path dir, RecoveryReport report, boolean readOnly) {
        this.dir = dir;
        this.report = report;
        this.readOnly = readOnly;
    }

    /**
     * Recovers the journal in {@code dir}.
     *
     * @throws JournalException when a data file or checkpoint has another format version, or a file cannot be read
     */
    static Result run(Path dir) {
        return run(dir, false);
    }

    /**
     * Builds the state a recovery of {@code dir} would, with the same rules, without changing any file (no
     * truncation, no deletion, no checkpoint set aside): what {@code ./tern journal why} describes. The files of the
     * result are open for reading only; the caller closes them.
     */
    static Result inspect(Path dir) {
        return run(dir, true);
    }

    private static Result run(Path dir, boolean readOnly) {
        RecoveryReport report = new RecoveryReport();
        List<Path> checkpoints;
        long nextSequence;
        try {
            if (!readOnly) {
                deleteTemporaryCheckpoints(dir);
                deleteRetiredFiles(dir);
            }
            checkpoints = CheckpointDescriptor.list(dir);
            nextSequence = CheckpointDescriptor.highestSequence(dir) + 1;
        } catch (IOException e) {
            throw new JournalException("cannot list the checkpoints of journal directory " + dir + ": " + e, e);
        }
        for (int i = 0; i < checkpoints.size(); i++) {
            Path checkpoint = checkpoints.get(i);
            String fallback = i + 1 < checkpoints.size() ? "trying the older " + checkpoints.get(i + 1).getFileName()
                    : "replaying every data file";
            Recovery attempt = new Recovery(dir, report, readOnly);
            Result result = attempt.fromCheckpoint(checkpoint, fallback, checkpoints.subList(i + 1,
                    checkpoints.size()), nextSequence);
            if (result != null) {
                return result;
            }
            if (!readOnly) {
                setAside(checkpoint);
            }
        }
        Recovery full = new Recovery(dir, report, readOnly);
        Replayed replayed = full.replayFrom(JournalPosition.START, null, null);
        return full.result(replayed, JournalPosition.START, List.of(), nextSequence);
    }

    /** The data files a replay kept and the number the next new one gets. */
    private record Replayed(List<JournalFile> files, int nextNumber) {
    }

    private Result result(Replayed replayed, JournalPosition from, List<Checkpointer.Kept> kept, long nextSequence) {
        report.replayed(replayedFiles, records, index.size());
        if (!readOnly) {
            LOG.info("TERN-J0001 journal {} recovered: {}", dir, report);
        }
        return new Result(replayed.files(), replayed.nextNumber(), from.file(), report, index, subscriptions,
                branches, marks, references, List.copyOf(kept), nextSequence);
    }

    /** The data files in {@code dir}, by number. */
    static List<Path> dataFiles(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "db-*.log")) {
            for (Path p : stream) {
                if (JournalFile.numberOf(p) >= 0) {
                    paths.add(p);
                }
            }
        }
        paths.sort(Comparator.comparingInt(JournalFile::numberOf));
        return paths;
    }

    /** Loads {@code checkpoint} and replays what follows it; null (logged, reported) when it is unusable. */
    private Result fromCheckpoint(Path checkpoint, String fallback, List<Path> older, long nextSequence) {
        CheckpointReader.Header header;
        try {
            header = CheckpointReader.read(checkpoint, new CheckpointReader.Visitor() {
                @Override
                public void message(String queue, long id, Location at) {
                    index.put(queue, id, at);
                }

                @Override
                public void subscription(StoredSubscription subscription, int file, long bytes) {
                    subscriptions.put(new SubscriptionIndex.Entry(subscription, file, bytes));
                }

                @Override
                public void file(int file, int liveRecords, long liveBytes, int[] cancelled) {
                    references.restore(file, liveRecords, liveBytes, cancelled);
                }

                @Override
                public void lastBranchSequence(long sequence) {
                    branches.lastSequence(sequence);
                }

                @Override
                public void branch(PreparedBranches.Branch branch) {
                    branches.put(branch);
                }

                @Override
                public void mark(String container, long id, int file, long bytes) {
                    marks.put(new MarkIndex.Entry(container, id, file, bytes));
                }
            });
        } catch (CheckpointReader.Unusable e) {
            unusable(checkpoint, e.getMessage(), fallback);
            return null;
        } catch (IOException e) {
            unusable(checkpoint, "cannot be read: " + e, fallback);
            return null;
        }
        Replayed replayed = replayFrom(header.position(), checkpoint, fallback);
        if (replayed == null) {
            return null;
        }
        List<Checkpointer.Kept> kept = new ArrayList<>();
        keepOlder(older, kept);
        kept.add(new Checkpointer.Kept(checkpoint, header.sequence(), header.position()));
        report.loaded(checkpoint.getFileName().toString(), header.position());
        return result(replayed, header.position(), kept, nextSequence);
    }

    /** Keeps the newest of {@code older} whose header is sound (the fallback of the one loaded); deletes the rest. */
    private void keepOlder(List<Path> older, List<Checkpointer.Kept> kept) {
        for (Path path : older) {
            if (kept.size() < Checkpointer.KEPT - 1) {
                try {
                    CheckpointReader.Header header = CheckpointReader.header(path);
                    kept.add(new Checkpointer.Kept(path, header.sequence(), header.position()));
                    continue;
                } catch (CheckpointReader.Unusable | IOException e) {
                    if (!readOnly) {
                        LOG.warn("TERN-J0041 journal recovery: older checkpoint {} is unusable: {}; deleted it",
                                path, e.getMessage());
                    }
                }
            }
            if (readOnly) {
                continue;
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.warn("TERN-J0045 cannot delete the old checkpoint {}: {}; the next start retries", path,
                        e.toString());
            }
        }
    }

    /**
     * Replays the records after {@code from}. With a {@code checkpoint} (already loaded), returns null when the
     * data files do not fit it.
     */
    private Replayed replayFrom(JournalPosition from, Path checkpoint, String fallback) {
        List<JournalFile> files = new ArrayList<>();
        int nextNumber = Math.max(1, from.file() + 1);
        try {
            List<Path> paths = dataFiles(dir);
            for (int i = 0; i < paths.size(); i++) {
                Path path = paths.get(i);
                int number = JournalFile.numberOf(path);
                nextNumber = Math.max(nextNumber, number + 1);
                JournalFile file = readOnly ? JournalFile.openReadOnly(path) : JournalFile.open(path);
                boolean last = i == paths.size() - 1;
                if (!usableHeader(file, last)) {
                    continue;
                }
                files.add(file);
                if (from.covers(number)) {
                    continue; // every record of it is reflected in the checkpoint
                }
                long offset = FileHeaderDescriptor.LENGTH;
                if (number == from.file()) {
                    if (file.size() < from.offset()) {
                        closeAll(files);
                        unusable(checkpoint, "its journal position " + from + " lies past the end of "
                                + file.path() + " (" + file.size() + " bytes)", fallback);
                        return null;
                    }
                    offset = Math.max(offset, from.offset());
                }
                replayedFiles++;
                replay(file, last, offset);
            }
        } catch (IOException | RuntimeException e) {
            closeAll(files);
            if (e instanceof JournalException je) {
                throw je;
            }
            throw new JournalException("cannot recover journal directory " + dir + ": " + e, e);
        }
        if (checkpoint != null) {
            Set<Integer> missing = references.liveFiles();
            files.forEach(f -> missing.remove(f.number()));
            if (!missing.isEmpty()) {
                closeAll(files);
                unusable(checkpoint, "live records (messages, subscriptions, prepared branches or delivered marks) "
                        + "lie in data files that are gone: " + missing.stream().map(JournalFile::name).toList(),
                        fallback);
                return null;
            }
        }
        return new Replayed(files, nextNumber);
    }

    /** False (and the file closed, and deleted when torn at creation) when its header is unusable. */
    private boolean usableHeader(JournalFile file, boolean last) throws IOException {
        if (file.size() < FileHeaderDescriptor.LENGTH) {
            if (last && !readOnly) {
                problem(file, 0, "file of " + file.size() + " bytes is shorter than its header (a crash while "
                        + "creating it)", "deleted the file");
                file.delete();
            } else {
                problem(file, 0, "file of " + file.size() + " bytes is shorter than its header",
                        "ignored the file");
                file.close();
            }
            return false;
        }
        ByteBuffer header = ByteBuffer.allocate(FileHeaderDescriptor.LENGTH)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        file.readFully(header, 0);
        String bad = FileHeaderDescriptor.magicProblem(header, file.path());
        if (bad != null) {
            problem(file, 0, bad, "ignored the file (left on disk, outside the journal)");
            file.close();
            return false;
        }
        try {
            FileHeaderDescriptor.checkVersion(header, file.path());
        } catch (JournalException e) {
            file.close();
            throw e;
        }
        int number = FileHeaderDescriptor.fileNumber(header);
        if (number != file.number()) {
            problem(file, FileHeaderDescriptor.FILE_NUMBER_OFFSET, "header says file number " + number,
                    "used the number in the file name, " + file.number());
        }
        return true;
    }

    private void replay(JournalFile file, boolean last, long from) throws IOException {
        RecordScanner scanner = new RecordScanner(file);
        long offset = from;
        while (offset < scanner.fileSize()) {
            String problem = scanner.check(offset);
            if (problem == null) {
                apply(file, scanner, offset);
                offset += scanner.recordLength(offset);
                continue;
            }
            if (scanner.zerosFrom(offset)) {
                // The zeroed tail written ahead of small appends: the records end here, nothing is damaged.
                if (!readOnly) {
                    file.truncate(offset);
                }
                return;
            }
            long next = scanner.nextValid(offset);
            if (next >= 0) {
                problem(file, offset, problem, "skipped " + (next - offset) + " bytes to the next valid record at "
                        + next);
                offset = next;
            } else if (last && !readOnly) {
                problem(file, offset, problem + " (torn tail)", "truncated the file to " + offset + " bytes");
                file.truncate(offset);
                return;
            } else {
                problem(file, offset, problem, "ignored the last " + (scanner.fileSize() - offset)
                        + " bytes of the file");
                return;
            }
        }
    }

    private void apply(JournalFile file, RecordScanner scanner, long offset) throws IOException {
        RecordType type = scanner.type(offset);
        long payloadOffset = offset + RecordDescriptor.HEADER_LENGTH;
        int recordLength = scanner.recordLength(offset);
        int number = file.number();
        String malformed = RecordCodec.decode(type, scanner.payload(offset), new RecordCodec.Visitor() {
            @Override
            public void add(String queue, long id, int envelopeOffset, int envelopeLength) {
                Location at = new Location(number, payloadOffset + envelopeOffset, envelopeLength);
                Location earlier = index.location(queue, id);
                if (at.equals(earlier)) {
                    return; // replayed twice (a checkpoint already holds it): nothing changes
                }
                if (earlier != null) {
                    problem(file, offset, "message " + id + " of queue '" + queue + "' added again (first at "
                            + earlier + ")", "kept the later add");
                }
                place(queue, id, at, earlier);
            }

            /** A moved message replaces its older copy quietly: compaction wrote it, nothing is wrong. */
            @Override
            public void move(String queue, long id, int envelopeOffset, int envelopeLength) {
                Location at = new Location(number, payloadOffset + envelopeOffset, envelopeLength);
                Location earlier = index.location(queue, id);
                if (!at.equals(earlier)) {
                    place(queue, id, at, earlier);
                }
            }

            /** The message now lives {@code at}; a record in this file cancelled its copy {@code earlier}. */
            private void place(String queue, long id, Location at, Location earlier) {
                if (earlier != null) {
                    references.removed(earlier.file(), FileReferences.messageBytes(queue, earlier), number);
                }
                index.put(queue, id, at);
                references.added(at.file(), FileReferences.messageBytes(queue, at));
            }

            @Override
            public void remove(String queue, long id) {
                MessageRef ref = index.remove(queue, id);
                if (ref != null) {
                    references.removed(ref.location().file(), FileReferences.messageBytes(queue, ref.location()),
                            number);
                }
            }

            @Override
            public void subscribe(StoredSubscription subscription) {
                SubscriptionIndex.Entry earlier = subscriptions.put(new SubscriptionIndex.Entry(subscription, number,
                        recordLength));
                if (earlier != null) {
                    references.removed(earlier.file, earlier.bytes, number);
                }
                references.added(number, recordLength);
            }

            @Override
            public void unsubscribe(String container) {
                SubscriptionIndex.Entry entry = subscriptions.remove(container);
                if (entry != null) {
                    references.removed(entry.file, entry.bytes, number);
                }
                MarkIndex.Entry mark = marks.remove(container);
                if (mark != null) {
                    references.removed(mark.file, mark.bytes, number);
                }
                index.removeAll(container).forEachFile((f, count, bytes) -> references.removed(f, count, bytes,
                        number));
            }

            /**
             * A PREPARE of a branch prepared already is that branch rewritten by compaction: it now lives here. One
             * the state holds as it is (same file, same sequence) was replayed twice: nothing changes.
             */
            @Override
            public void prepare(byte[] xid, long sequence, List<RecordCodec.AddAt> adds,
                                List<StoreBatch.Remove> removes) {
                PreparedBranches.Branch held = branches.get(xid);
                if (held != null && held.file == number && held.sequence == sequence) {
                    return;
                }
                List<PreparedBranches.Add> refs = new ArrayList<>(adds.size());
                for (RecordCodec.AddAt add : adds) {
                    refs.add(new PreparedBranches.Add(add.queue(), add.id(), MessageRef.at(new Location(number,
                            payloadOffset + add.envelopeOffset(), add.envelopeLength()))));
                }
                PreparedBranches.Branch earlier = branches.put(new PreparedBranches.Branch(xid, sequence, refs,
                        removes, number, recordLength));
                if (earlier != null) {
                    references.removed(earlier.file, earlier.bytes, number);
                }
                references.added(number, recordLength);
            }

            /**
             * A completion whose PREPARE is gone is ignored: its file was collected once nothing needed it, or a
             * checkpoint already reflects the completion.
             */
            @Override
            public void commitPrepared(byte[] xid) {
                PreparedBranches.Branch branch = branches.remove(xid);
                if (branch == null) {
                    LOG.debug("journal recovery: commit of branch {} whose PREPARE is gone; ignored",
                            PreparedBranches.hex(xid));
                    return;
                }
                for (PreparedBranches.Add add : branch.adds) {
                    Location at = add.ref().location();
                    Location earlier = index.location(add.queue(), add.id());
                    if (at.equals(earlier)) {
                        continue; // replayed twice
                    }
                    if (earlier != null) {
                        problem(file, offset, "message " + add.id() + " of queue '" + add.queue()
                                + "' added again by committed branch " + branch.hex(), "kept the later add");
                    }
                    place(add.queue(), add.id(), at, earlier);
                }
                references.removed(branch.file, branch.bytes, number);
                for (StoreBatch.Remove r : branch.removes) {
                    MessageRef ref = index.remove(r.queue(), r.id());
                    if (ref != null) {
                        references.removed(ref.location().file(), FileReferences.messageBytes(r.queue(),
                                ref.location()), number);
                        references.guard(branch.file, ref.location().file());
                    }
                }
            }

            @Override
            public void rollbackPrepared(byte[] xid) {
                PreparedBranches.Branch branch = branches.remove(xid);
                if (branch == null) {
                    LOG.debug("journal recovery: rollback of branch {} whose PREPARE is gone; ignored",
                            PreparedBranches.hex(xid));
                    return;
                }
                references.removed(branch.file, branch.bytes, number);
            }

            /** The last mark of a container wins; it cancels the one before, whose file this one must outlive. */
            @Override
            public void mark(String container, long id) {
                MarkIndex.Entry earlier = marks.put(new MarkIndex.Entry(container, id, number, recordLength));
                if (earlier != null) {
                    references.removed(earlier.file, earlier.bytes, number);
                }
                references.added(number, recordLength);
            }
        });
        if (malformed != null) {
            problem(file, offset, malformed, "skipped the record");
        } else {
            records++;
        }
    }

    private void problem(JournalFile file, long offset, String what, String action) {
        report.problem(file.path().toString(), offset, what, action);
        if (!readOnly) {
            LOG.warn("TERN-J0002 journal recovery: {} at offset {}: {}; {}", file.path(), offset, what, action);
        }
    }

    private void unusable(Path checkpoint, String why, String fallback) {
        String action = fallback + (readOnly ? "" : "; set it aside as " + checkpoint.getFileName()
                + CheckpointDescriptor.UNUSABLE_SUFFIX);
        report.problem(checkpoint.toString(), 0, why, action);
        if (!readOnly) {
            LOG.warn("TERN-J0041 journal recovery: checkpoint {} is unusable: {}; {}", checkpoint, why, action);
        }
    }

    private static void setAside(Path checkpoint) {
        try {
            Files.move(checkpoint, checkpoint.resolveSibling(checkpoint.getFileName()
                    + CheckpointDescriptor.UNUSABLE_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new JournalException("cannot set the unusable checkpoint " + checkpoint + " aside: " + e, e);
        }
    }

    /** Deletes data files a crash left retired but not yet deleted (see {@link Journal#retiredName}). */
    private static void deleteRetiredFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "db-*.log" + Journal.RETIRED_SUFFIX)) {
            for (Path p : stream) {
                LOG.info("TERN-J0033 deleted {}: a journal file nothing needed, whose deletion a stop interrupted", p);
                Files.delete(p);
            }
        }
    }

    /** Deletes checkpoints a crash left half written. */
    private static void deleteTemporaryCheckpoints(Path dir) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir,
                "checkpoint-*" + CheckpointDescriptor.SUFFIX + CheckpointDescriptor.TEMP_SUFFIX)) {
            for (Path p : stream) {
                LOG.info("TERN-J0044 deleted {}: a checkpoint whose writing a crash interrupted", p);
                Files.delete(p);
            }
        }
    }

    static void closeAll(List<JournalFile> files) {
        for (JournalFile f : files) {
            try {
                f.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }
}

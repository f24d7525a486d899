package io.tern.store.journal;

import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index and the file references by replaying every data file in order. Bad data never stops it and
 * is never replayed:
 * <ul>
 * <li>a torn tail (a partial or garbled last record of the last file, with no valid record after it) is truncated
 *     at the end of the last valid record;</li>
 * <li>a bad record anywhere else (wrong CRC, impossible header, malformed payload) is logged with its file and
 *     offset and skipped: replay goes on at the next offset where a valid record starts;</li>
 * <li>a last file too short to hold its header (a crash while creating it) is deleted; any other file with a
 *     garbled header is logged and left alone, outside the journal.</li>
 * </ul>
 * Only a file of another format version stops recovery, with a {@link JournalException} naming both versions.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** What recovery hands the store: the files to keep using, the next file number, the report. */
    record Result(List<JournalFile> files, int nextNumber, RecoveryReport report) {
    }

    private final Path dir;
    private final MessageIndex index;
    private final FileReferences references;
    private final SubscriptionIndex subscriptions;
    private final PreparedBranches branches;
    private final RecoveryReport report = new RecoveryReport();
    private long records;

    private Recovery(Path dir, MessageIndex index, SubscriptionIndex subscriptions, PreparedBranches branches,
                     FileReferences references) {
        this.dir = dir;
        this.index = index;
        this.subscriptions = subscriptions;
        this.branches = branches;
        this.references = references;
    }

    /**
     * Replays the data files of {@code dir} into {@code index}, {@code subscriptions}, {@code branches} and
     * {@code references}.
     *
     * @throws JournalException when a file has another format version, or a file cannot be read at all
     */
    static Result run(Path dir, MessageIndex index, SubscriptionIndex subscriptions, PreparedBranches branches,
                      FileReferences references) {
        return new Recovery(dir, index, subscriptions, branches, references).replayAll();
    }

    /**
     * Applies single valid records, exactly as recovery does, without touching any file: the offline tool's
     * {@code why} builds the same state the store has after recovery and describes it with the same code.
     */
    static Replay replayOnly(Path dir, MessageIndex index, SubscriptionIndex subscriptions, PreparedBranches branches,
                             FileReferences references) {
        return new Recovery(dir, index, subscriptions, branches, references)::apply;
    }

    /** Applies the valid record at an offset of a file to the state. */
    interface Replay {
        void apply(JournalFile file, RecordScanner scanner, long offset) throws IOException;
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

    private Result replayAll() {
        List<JournalFile> kept = new ArrayList<>();
        int nextNumber = 1;
        try {
            List<Path> paths = dataFiles(dir);
            for (int i = 0; i < paths.size(); i++) {
                Path path = paths.get(i);
                nextNumber = Math.max(nextNumber, JournalFile.numberOf(path) + 1);
                JournalFile file = JournalFile.open(path);
                boolean last = i == paths.size() - 1;
                if (usableHeader(file, last)) {
                    kept.add(file);
                    replay(file, last);
                }
            }
        } catch (IOException | RuntimeException e) {
            closeAll(kept);
            if (e instanceof JournalException je) {
                throw je;
            }
            throw new JournalException("cannot recover journal directory " + dir + ": " + e, e);
        }
        report.replayed(kept.size(), records, index.size());
        LOG.info("TERN-J0001 journal {} recovered: {}", dir, report);
        return new Result(kept, nextNumber, report);
    }

    /** False (and the file closed, and deleted when torn at creation) when its header is unusable. */
    private boolean usableHeader(JournalFile file, boolean last) throws IOException {
        if (file.size() < FileHeaderDescriptor.LENGTH) {
            if (last) {
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

    private void replay(JournalFile file, boolean last) throws IOException {
        RecordScanner scanner = new RecordScanner(file);
        long offset = FileHeaderDescriptor.LENGTH;
        while (offset < scanner.fileSize()) {
            String problem = scanner.check(offset);
            if (problem == null) {
                apply(file, scanner, offset);
                offset += scanner.recordLength(offset);
                continue;
            }
            long next = scanner.nextValid(offset);
            if (next >= 0) {
                problem(file, offset, problem, "skipped " + (next - offset) + " bytes to the next valid record at "
                        + next);
                offset = next;
            } else if (last) {
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
                MessageRef earlier = index.get(queue, id);
                if (earlier != null) {
                    problem(file, offset, "message " + id + " of queue '" + queue + "' added again (first at "
                            + earlier.location() + ")", "kept the later add");
                }
                place(queue, id, new Location(number, payloadOffset + envelopeOffset, envelopeLength));
            }

            /** A moved message replaces its older copy quietly: compaction wrote it, nothing is wrong. */
            @Override
            public void move(String queue, long id, int envelopeOffset, int envelopeLength) {
                place(queue, id, new Location(number, payloadOffset + envelopeOffset, envelopeLength));
            }

            private void place(String queue, long id, Location location) {
                MessageRef earlier = index.get(queue, id);
                if (earlier != null) {
                    references.removed(earlier.location().file(), FileReferences.messageBytes(queue,
                            earlier.location()), number);
                }
                index.put(queue, id, MessageRef.at(location));
                references.added(location.file(), FileReferences.messageBytes(queue, location));
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
                for (Long id : index.snapshot(container).keySet()) {
                    remove(container, id);
                }
            }

            /** A PREPARE of a branch prepared already is that branch rewritten by compaction: it now lives here. */
            @Override
            public void prepare(byte[] xid, long sequence, List<RecordCodec.AddAt> adds,
                                List<StoreBatch.Remove> removes) {
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

            /** A completion whose PREPARE is gone is ignored: its file was collected once nothing needed it. */
            @Override
            public void commitPrepared(byte[] xid) {
                PreparedBranches.Branch branch = branches.remove(xid);
                if (branch == null) {
                    LOG.debug("journal recovery: commit of branch {} whose PREPARE is gone; ignored",
                            PreparedBranches.hex(xid));
                    return;
                }
                for (PreparedBranches.Add add : branch.adds) {
                    if (index.get(add.queue(), add.id()) != null) {
                        problem(file, offset, "message " + add.id() + " of queue '" + add.queue()
                                + "' added again by committed branch " + branch.hex(), "kept the later add");
                    }
                    place(add.queue(), add.id(), add.ref().location());
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
        });
        if (malformed != null) {
            problem(file, offset, malformed, "skipped the record");
        } else {
            records++;
        }
    }

    private void problem(JournalFile file, long offset, String what, String action) {
        report.problem(file.path().toString(), offset, what, action);
        LOG.warn("TERN-J0002 journal recovery: {} at offset {}: {}; {}", file.path(), offset, what, action);
    }

    private static void closeAll(List<JournalFile> files) {
        for (JournalFile f : files) {
            try {
                f.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }
}

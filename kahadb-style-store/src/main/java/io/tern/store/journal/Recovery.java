package io.tern.store.journal;

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
    private final RecoveryReport report = new RecoveryReport();
    private long records;

    private Recovery(Path dir, MessageIndex index, SubscriptionIndex subscriptions, FileReferences references) {
        this.dir = dir;
        this.index = index;
        this.subscriptions = subscriptions;
        this.references = references;
    }

    /**
     * Replays the data files of {@code dir} into {@code index}, {@code subscriptions} and {@code references}.
     *
     * @throws JournalException when a file has another format version, or a file cannot be read at all
     */
    static Result run(Path dir, MessageIndex index, SubscriptionIndex subscriptions, FileReferences references) {
        return new Recovery(dir, index, subscriptions, references).replayAll();
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
                    references.removed(earlier.file(), number);
                }
                index.put(queue, id, at);
                references.added(number);
            }

            @Override
            public void remove(String queue, long id) {
                MessageRef ref = index.remove(queue, id);
                if (ref != null) {
                    references.removed(ref.location().file(), number);
                }
            }

            @Override
            public void subscribe(StoredSubscription subscription) {
                SubscriptionIndex.Entry earlier = subscriptions.put(new SubscriptionIndex.Entry(subscription, number));
                if (earlier != null) {
                    references.removed(earlier.file, number);
                }
                references.added(number);
            }

            @Override
            public void unsubscribe(String container) {
                SubscriptionIndex.Entry entry = subscriptions.remove(container);
                if (entry != null) {
                    references.removed(entry.file, number);
                }
                index.removeAll(container).forEachFile((f, count) -> references.removed(f, count, number));
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

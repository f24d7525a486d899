package io.tern.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data files of one directory, in order, and the one being appended to. Appends, forces, rollover and deletes
 * happen on the writer thread, except the unlinking of a deleted file's name (see {@link #delete}); reads on any
 * thread.
 */
final class Journal implements RecordSink {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final Path dir;
    private final long maxFileSize;
    private final boolean zeroTails;
    private final NavigableMap<Integer, JournalFile> files = new ConcurrentSkipListMap<>();
    private final Set<JournalFile> unforced = new LinkedHashSet<>();
    private final AtomicLong forces = new AtomicLong();
    /** Reads of message bytes from the data files since the journal opened. */
    private final AtomicLong reads = new AtomicLong();
    private volatile JournalFile current;
    private int nextNumber;
    /** Unlinks deleted files, one at a time in the order deleted; its thread exits when idle. */
    private final ThreadPoolExecutor unlinker;
    /** Set on the unlinker's thread when a rename failed: later files stay for the next start (see unlink). */
    private boolean unlinkFailed;

    /**
     * @param recovered   the files recovery kept, in order; the last one is appended to while it has room
     * @param nextNumber  the number the next new file gets (above every data file in the directory, even skipped)
     * @param appendFloor the last file is appended to only when its number is at least this (a checkpoint's position
     *                    file: records before it would not be replayed), else writing starts a new file
     * @param zeroTails   whether small appends write a zeroed tail ahead of themselves ({@link #ZERO_TAIL} bytes,
     *                    see {@link JournalFile}), so that the forces that follow them need no metadata change; worth
     *                    it when every batch is forced
     */
    Journal(Path dir, long maxFileSize, List<JournalFile> recovered, int nextNumber, int appendFloor,
            boolean zeroTails) {
        this.dir = dir;
        this.maxFileSize = maxFileSize;
        this.zeroTails = zeroTails;
        this.nextNumber = nextNumber;
        recovered.forEach(f -> files.put(f.number(), f));
        JournalFile last = recovered.isEmpty() ? null : recovered.get(recovered.size() - 1);
        this.current = last != null && last.number() >= appendFloor ? last : null;
        String thread = "tern-journal-unlink-" + dir.getFileName();
        this.unlinker = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
        unlinker.allowCoreThreadTimeOut(true);
    }

    @Override
    public Location[] append(ByteBuffer[] records, int count) throws IOException {
        Location[] locations = new Location[count];
        int runStart = 0;
        long runBytes = 0;
        for (int i = 0; i < count; i++) {
            int length = records[i].remaining();
            if (current == null || needsRoll(current.size() + runBytes, length)) {
                writeRun(records, runStart, i - runStart, locations);
                roll();
                runStart = i;
                runBytes = 0;
            }
            runBytes += length;
        }
        writeRun(records, runStart, count - runStart, locations);
        return locations;
    }

    private boolean needsRoll(long size, int length) {
        // A file always takes at least one record, so a record larger than the limit gets a file of its own.
        return size > FileHeaderDescriptor.LENGTH && size + length > maxFileSize;
    }

    private void writeRun(ByteBuffer[] records, int from, int count, Location[] locations) throws IOException {
        if (count == 0) {
            return;
        }
        int[] lengths = new int[count];
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            lengths[i] = records[from + i].remaining();
            bytes += lengths[i];
        }
        long offset = current.append(records, from, count, zeroTail(current.size() + bytes, bytes));
        for (int i = 0; i < count; i++) {
            locations[from + i] = new Location(current.number(), offset, lengths[i]);
            offset += lengths[i];
        }
        unforced.add(current);
    }

    /**
     * How many zeros to write after a run of {@code bytes} that ends at {@code end}: {@link #ZERO_TAIL} for a small
     * run (a synchronous send's, whose force's latency the sender waits out), none for a large one (its force is
     * shared by many records already; zeros would double its bytes), and never past the file's size limit.
     */
    private int zeroTail(long end, long bytes) {
        if (!zeroTails || bytes > SMALL_RUN) {
            return 0;
        }
        return (int) Math.max(0, Math.min(ZERO_TAIL, maxFileSize - end));
    }

    /** Zeros written ahead of a small run (see {@link JournalFile}): about a thousand 1 KiB messages' worth. */
    static final int ZERO_TAIL = JournalFile.MAX_ZERO_TAIL;
    /** A run up to this size gets a zeroed tail. */
    static final int SMALL_RUN = 64 * 1024;

    private void roll() throws IOException {
        if (current != null && current.sealTail()) {
            unforced.add(current);
        }
        JournalFile next = JournalFile.create(dir, nextNumber++);
        files.put(next.number(), next);
        unforced.add(next);
        forceDirectory();
        current = next;
    }

    @Override
    public void force() throws IOException {
        for (JournalFile file : unforced) {
            file.force();
            forces.incrementAndGet();
        }
        unforced.clear();
    }

    @Override
    public JournalPosition position() {
        JournalFile file = current;
        return file == null ? new JournalPosition(nextNumber, 0) : new JournalPosition(file.number(), file.size());
    }

    @Override
    public String currentFile() {
        JournalFile file = current;
        return file == null ? dir.resolve(JournalFile.name(nextNumber)).toString() : file.toString();
    }

    /** How many times a file was forced since the journal opened (group commit makes this far below the writes). */
    long forceCount() {
        return forces.get();
    }

    /** How many times message bytes were read from a data file since the journal opened (for tests). */
    long readCount() {
        return reads.get();
    }

    /** Data file {@code number}, to read from. */
    private JournalFile readable(int number) throws NoSuchFileException {
        JournalFile file = files.get(number);
        if (file == null) {
            throw new NoSuchFileException(dir.resolve(JournalFile.name(number)).toString());
        }
        return file;
    }

    /** The bytes at {@code location}. Any thread. */
    byte[] read(Location location) throws IOException {
        JournalFile file = readable(location.file());
        reads.incrementAndGet();
        return file.read(location.offset(), location.length());
    }

    /**
     * The envelope at {@code location}, checked against the CRC of the ADD or MOVE record that holds it, which starts
     * {@code recordPrefix} bytes before the envelope. When the bytes there do not head such a record (the envelope is
     * part of a TX or PREPARE record, whose CRC covers the whole transaction), the envelope is returned unchecked.
     *
     * @throws CorruptRecordException when the record's CRC does not match its bytes
     */
    byte[] readChecked(Location location, int recordPrefix) throws IOException {
        JournalFile file = readable(location.file());
        reads.incrementAndGet();
        long start = location.offset() - recordPrefix;
        if (start < FileHeaderDescriptor.LENGTH) {
            return file.read(location.offset(), location.length());
        }
        int total = recordPrefix + location.length();
        ByteBuffer record;
        if (total <= READ_SCRATCH_BYTES) {
            record = READ_SCRATCH.get();
            record.clear().limit(total);
            file.read(start, record);
        } else {
            record = ByteBuffer.wrap(file.read(start, total)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        }
        return checkedEnvelope(record, 0, recordPrefix, location.length(), file, start);
    }

    /**
     * The envelopes at {@code locations[from..to)} as {@link #readChecked} reads each, but with one read of the
     * bytes from the first one's record to the furthest envelope's end, as {@link #readsAsOneRun} allows: a backlog
     * paged back in is mostly records written one after another, and a read per record cost more than the copy of
     * the span. Each record's bytes are checked as {@link #readChecked} checks them.
     *
     * @throws CorruptRecordException when one record's CRC does not match its bytes (the others are not returned)
     */
    byte[][] readCheckedRun(Location[] locations, int from, int to, int recordPrefix) throws IOException {
        Location first = locations[from];
        JournalFile file = readable(first.file());
        long start = first.offset() - recordPrefix;
        long end = start;
        for (int i = from; i < to; i++) {
            end = Math.max(end, locations[i].offset() + locations[i].length());
        }
        reads.incrementAndGet();
        ByteBuffer span = READ_SCRATCH.get();
        span.clear().limit(Math.toIntExact(end - start));
        file.read(start, span);
        byte[][] envelopes = new byte[to - from][];
        for (int i = from; i < to; i++) {
            Location location = locations[i];
            int at = Math.toIntExact(location.offset() - recordPrefix - start);
            envelopes[i - from] = checkedEnvelope(span, at, recordPrefix, location.length(), file, start + at);
        }
        return envelopes;
    }

    /**
     * Whether {@link #readCheckedRun} may read the record of {@code next} in the run that starts with the record of
     * {@code first} and so far ends at {@code runEnd}: same file, not before the run's start, not more than
     * {@link #RUN_GAP_BYTES} after its end, and the whole run within {@link #READ_SCRATCH_BYTES}.
     */
    static boolean readsAsOneRun(Location first, long runEnd, Location next, int recordPrefix) {
        long start = first.offset() - recordPrefix;
        long nextStart = next.offset() - recordPrefix;
        return next.file() == first.file() && start >= FileHeaderDescriptor.LENGTH && nextStart >= start
                && nextStart <= runEnd + RUN_GAP_BYTES
                && Math.max(runEnd, next.offset() + next.length()) - start <= READ_SCRATCH_BYTES;
    }

    /** A run of records read at once skips at most this many bytes between two of them. */
    static final int RUN_GAP_BYTES = 16 * 1024;

    /**
     * The envelope of the record {@code recordPrefix} bytes before it at {@code at} in {@code buffer}; checked
     * against the record's CRC when those bytes head an ADD or MOVE record of exactly that length.
     */
    private static byte[] checkedEnvelope(ByteBuffer buffer, int at, int recordPrefix, int length, JournalFile file,
            long fileOffset) throws CorruptRecordException {
        int total = recordPrefix + length;
        int type = buffer.get(at + RecordDescriptor.TYPE_OFFSET) & 0xFF;
        boolean heads = buffer.getInt(at + RecordDescriptor.LENGTH_OFFSET) == total - RecordDescriptor.HEADER_LENGTH
                && (type == RecordType.ADD.code() || type == RecordType.MOVE.code())
                && buffer.get(at + RecordDescriptor.RESERVED_OFFSET) == 0
                && buffer.get(at + RecordDescriptor.RESERVED_OFFSET + 1) == 0
                && buffer.get(at + RecordDescriptor.RESERVED_OFFSET + 2) == 0;
        if (heads && RecordDescriptor.crc(buffer, at) != buffer.getInt(at + RecordDescriptor.CRC_OFFSET)) {
            throw new CorruptRecordException(file.path(), fileOffset);
        }
        byte[] envelope = new byte[length];
        buffer.get(at + recordPrefix, envelope);
        return envelope;
    }

    /** Records up to this size are read back through {@link #READ_SCRATCH}; larger ones into an array of their own. */
    static final int READ_SCRATCH_BYTES = 256 * 1024;
    /**
     * Each reading thread's buffer for {@link #readChecked} and {@link #readCheckedRun}: a message read back (a page
     * of a backlog reads a thousand) is read from the file straight into it, checked, and copied once into an array
     * of the envelope's size, so no record-sized array per message is allocated and then thrown away. Direct, so the
     * channel reads into it without a temporary buffer of its own; the pager threads that use it are few.
     */
    private static final ThreadLocal<ByteBuffer> READ_SCRATCH = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(READ_SCRATCH_BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN));

    /** A record read back for a message fails its checksum: the disk changed it after it was written. */
    static final class CorruptRecordException extends IOException {
        private final long offset;

        CorruptRecordException(Path file, long offset) {
            super("the record at offset " + offset + " of " + file + " fails its checksum");
            this.offset = offset;
        }

        long offset() {
            return offset;
        }
    }

    /** Bytes on disk in every data file: what the store's usage limit counts. */
    long sizeBytes() {
        long total = 0;
        for (JournalFile file : files.values()) {
            total += file.size();
        }
        return total;
    }

    /** The bytes in data file {@code number}, or 0 when it is not in the journal. */
    long size(int number) {
        JournalFile file = files.get(number);
        return file == null ? 0 : file.size();
    }

    /** The numbers of the data files, in order. */
    List<Integer> fileNumbers() {
        return new ArrayList<>(files.keySet());
    }

    boolean contains(int number) {
        return files.containsKey(number);
    }

    /** The number of the file being appended to, or -1 before the first. */
    int currentNumber() {
        JournalFile file = current;
        return file == null ? -1 : file.number();
    }

    /**
     * Deletes data file {@code number}, which is not the current file: it leaves the journal and is closed at once;
     * the unlinker's thread then {@linkplain #unlink removes it from disk}. Writer thread.
     */
    void delete(int number) throws IOException {
        JournalFile file = files.remove(number);
        if (file == null) {
            return;
        }
        unforced.remove(file);
        file.retire();
        try {
            unlinker.execute(() -> unlink(file));
        } catch (RejectedExecutionException closed) {
            // never ahead of a file queued earlier: it stays a data file, and the next start collects it again
            LOG.debug("journal file {} left for the next start: the journal is closed", file);
        }
    }

    /**
     * Removes a deleted file from disk without holding up the writer's forces. Measured on a slow two-core machine:
     * unlinking a full 32 MiB file took 10-14 ms, and each force the writer made meanwhile took as long (the file
     * system's commit waits for the truncation in progress); a checkpoint under a steady load frees five to eight
     * files at once, which held commits for 70-100 ms, on the writer thread or off it. So the file is first renamed
     * to {@code db-N.log.deleted}, which recovery never reads and deletes at start, and the directory forced, then
     * cut down {@value #SHRINK_STEP} bytes at a time (a short wait for a force each), then unlinked.
     *
     * <p>The renames go one at a time in the order the files were deleted, each durable before the next: a later
     * file may hold the removes that cancel adds in this one (see {@link FileCollector}), and must never be gone
     * while this one could come back after a crash. So after a failed rename the later files stay too, for the next
     * start to collect. Where the file system cannot rename atomically, the file is deleted whole instead.
     */
    private void unlink(JournalFile file) {
        synchronized (unlinker) {
            if (unlinkFailed) {
                LOG.warn("TERN-J0031 journal file {} not deleted: an earlier file could not be; the next start "
                        + "deletes both", file);
                return;
            }
            Path retired = retiredName(file.path());
            try {
                try {
                    Files.move(file.path(), retired, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException noRename) {
                    // deleted whole under its own name: never shortened there, or a crash could leave a prefix
                    // that recovery replays
                    Files.deleteIfExists(file.path());
                    retired = null;
                }
                forceDirectory();
            } catch (NoSuchFileException gone) {
                return;
            } catch (IOException | RuntimeException e) {
                unlinkFailed = true;
                LOG.warn("TERN-J0031 cannot delete journal file {}: {}; it and later files wait for the next "
                        + "start", file, e.toString());
                return;
            }
            try {
                if (retired != null) {
                    shrink(retired);
                    Files.deleteIfExists(retired);
                }
                LOG.info("TERN-J0030 deleted journal file {}: nothing in it is needed any more", file);
            } catch (IOException | RuntimeException e) {
                LOG.warn("TERN-J0031 cannot delete {}: {}; the next start deletes it", retired, e.toString());
            }
        }
    }

    /** A retired file's name: no data file, so recovery never replays it; it deletes such files at start. */
    static Path retiredName(Path dataFile) {
        return dataFile.resolveSibling(dataFile.getFileName() + RETIRED_SUFFIX);
    }

    static final String RETIRED_SUFFIX = ".deleted";
    /** How much of a retired file one truncation frees. */
    static final long SHRINK_STEP = 1024 * 1024;

    private static void shrink(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            for (long size = channel.size(); size > 0; ) {
                size = Math.max(0, size - SHRINK_STEP);
                channel.truncate(size);
            }
        }
    }

    /**
     * Cuts off the current file's zeroed tail, forces what is unforced and closes every file, after the deleted ones
     * are unlinked.
     */
    void close() throws IOException {
        unlinker.shutdown();
        try {
            if (!unlinker.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("TERN-J0032 journal files of {} still being deleted 30 s after close; the next start "
                        + "deletes what is left", dir);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            JournalFile file = current;
            if (file != null && file.sealTail()) {
                unforced.add(file);
            }
            force();
        } finally {
            for (JournalFile file : files.values()) {
                file.close();
            }
        }
    }

    private void forceDirectory() {
        forceDirectory(dir);
    }

    /** Makes created, renamed and deleted file names in {@code dir} durable (Linux needs the directory forced). */
    static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; their file systems order metadata themselves.
            LOG.debug("cannot force directory {}: {}", dir, e.toString());
        }
    }
}

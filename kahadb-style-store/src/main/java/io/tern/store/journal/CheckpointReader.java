package io.tern.store.journal;

import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredSubscription;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Reads a checkpoint file ({@link CheckpointDescriptor}) and passes what it holds to a {@link Visitor} as it goes,
 * through a 1 MiB buffer. Every field is checked against its section's bounds, and every section's CRC at its end;
 * the first problem makes the whole checkpoint {@link Unusable} (what the visitor was given must then be thrown
 * away). Every section this version knows must be there (see {@link CheckpointDescriptor}). Limits: a queue name or
 * subscription field of at most 65,535 bytes, a subscription of at most 512 KiB, a branch identity of 1 to 140
 * bytes.
 */
final class CheckpointReader {
    private static final int BUFFER = 1 << 20;
    private static final int MAX_SUBSCRIPTION = 1 << 19;

    /** Receives the contents of a checkpoint, in file order. */
    interface Visitor {
        void message(String queue, long id, Location at);

        /** @param bytes the length of its SUBSCRIBE record in {@code file} */
        void subscription(StoredSubscription subscription, int file, long bytes);

        /** A data file's references: its live records and their bytes, and the files its records cancel. */
        void file(int file, int liveRecords, long liveBytes, int[] cancelled);

        /** The highest sequence number a prepared branch got; before the branches. */
        void lastBranchSequence(long sequence);

        /** A prepared branch, its adds' refs holding where their envelopes are; in prepare order. */
        void branch(PreparedBranches.Branch branch);

        /** A container's delivered mark, with the data file and length of its MARK record. */
        void mark(String container, long id, int file, long bytes);
    }

    /** What the header of a usable checkpoint says. */
    record Header(long sequence, JournalPosition position) {
    }

    /** The checkpoint cannot be used; the message says why and where. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String why) {
            super(why, null, false, false);
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    /** The file offset of the buffer's first byte. */
    private long bufferStart;
    /** Where in the buffer the bytes not yet added to the CRC start. */
    private int crcFrom;
    /** Reads may not pass this file offset (the end of the current section's payload). */
    private long limit;
    private String section = "header";
    /**
     * A value that makes no sense although its section could be read: reported after the section's CRC (which,
     * when it fails, is the better explanation), while reading stops passing values on.
     */
    private String deferred;

    private CheckpointReader(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.fileSize = channel.size();
        this.limit = fileSize;
        buffer.limit(0);
    }

    /**
     * Reads {@code file}, passing its contents to {@code visitor}.
     *
     * @throws Unusable        when the file is damaged: bad magic or CRC, a field out of its section, a missing END
     * @throws JournalException when it was written by a newer Tern: another format version, or a section type this
     *                          code does not know and may not skip
     */
    static Header read(Path file, Visitor visitor) throws IOException, Unusable {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new CheckpointReader(file, channel).readAll(visitor);
        }
    }

    /**
     * Reads only the header of {@code file} (its sections are not checked).
     *
     * @throws Unusable        when the header is damaged
     * @throws JournalException when it has another format version
     */
    static Header header(Path file) throws IOException, Unusable {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new CheckpointReader(file, channel).readHeader();
        }
    }

    private Header readHeader() throws IOException, Unusable {
        need(CheckpointDescriptor.HEADER_LENGTH);
        ByteBuffer header = buffer.slice(buffer.position(), CheckpointDescriptor.HEADER_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN);
        String bad = CheckpointDescriptor.headerProblem(header);
        if (bad != null) {
            throw new Unusable(bad);
        }
        CheckpointDescriptor.checkVersion(header, path);
        buffer.position(buffer.position() + CheckpointDescriptor.HEADER_LENGTH);
        return new Header(CheckpointDescriptor.sequence(header), CheckpointDescriptor.position(header));
    }

    private Header readAll(Visitor visitor) throws IOException, Unusable {
        Header result = readHeader();
        Set<CheckpointDescriptor.Section> seen = EnumSet.noneOf(CheckpointDescriptor.Section.class);
        while (true) {
            long start = offset();
            section = "section at offset " + start;
            need(CheckpointDescriptor.SECTION_HEADER_LENGTH);
            crc.reset();
            crcFrom = buffer.position();
            int type = Short.toUnsignedInt(buffer.getShort());
            int flags = Short.toUnsignedInt(buffer.getShort());
            long length = buffer.getLong();
            if (length < 0 || length > fileSize - offset() - CheckpointDescriptor.SECTION_CRC_LENGTH) {
                throw new Unusable(section + ": payload length " + length + " runs past the end of the file");
            }
            CheckpointDescriptor.Section known = CheckpointDescriptor.Section.of(type);
            section = (known == null ? "section type " + type : "section " + known) + " at offset " + start;
            if (known != null && !seen.add(known)) {
                throw new Unusable(section + " appears twice");
            }
            limit = offset() + length;
            if (known == null || known == CheckpointDescriptor.Section.END) {
                skip(length);
            } else {
                payload(known, visitor);
            }
            if (offset() != limit) {
                throw new Unusable(section + ": " + (limit - offset()) + " bytes left after its last field");
            }
            limit = fileSize;
            checkCrc();
            if (deferred != null) {
                throw new Unusable(deferred);
            }
            if (known == null && (flags & CheckpointDescriptor.FLAG_SKIPPABLE) == 0) {
                throw new JournalException(path + " holds " + section + ", which this Tern does not know: it was "
                        + "written by a newer Tern. Use that version, or move the checkpoint away to replay the "
                        + "whole journal.");
            }
            if (known == CheckpointDescriptor.Section.END) {
                if (offset() != fileSize) {
                    throw new Unusable((fileSize - offset()) + " bytes follow the END section");
                }
                for (CheckpointDescriptor.Section required : CheckpointDescriptor.Section.values()) {
                    if (!seen.contains(required)) {
                        throw new Unusable("it has no " + required + " section");
                    }
                }
                return result;
            }
        }
    }

    private void payload(CheckpointDescriptor.Section known, Visitor visitor) throws IOException, Unusable {
        switch (known) {
            case MESSAGES -> messages(visitor);
            case SUBSCRIPTIONS -> subscriptions(visitor);
            case FILES -> files(visitor);
            case PREPARED -> prepared(visitor);
            case MARKS -> marks(visitor);
            default -> throw new IllegalStateException("unhandled section " + known);
        }
    }

    private void messages(Visitor visitor) throws IOException, Unusable {
        int queues = count();
        for (int q = 0; q < queues; q++) {
            String queue = string();
            int entries = count();
            long previous = Long.MIN_VALUE;
            for (int i = 0; i < entries; i++) {
                need(CheckpointDescriptor.ENTRY_LENGTH);
                long id = buffer.getLong();
                int file = buffer.getInt();
                long offset = Integer.toUnsignedLong(buffer.getInt());
                int length = buffer.getInt();
                if (i > 0 && id <= previous) {
                    defer(section + ": ids of queue '" + queue + "' do not ascend (" + id + " after " + previous
                            + ")");
                } else if (file < 0 || length < 0) {
                    defer(section + ": message " + id + " of queue '" + queue + "' is at db-" + file + ".log@"
                            + offset + "+" + length);
                }
                previous = id;
                if (deferred == null) {
                    visitor.message(queue, id, new Location(file, offset, length));
                }
            }
        }
    }

    private void subscriptions(Visitor visitor) throws IOException, Unusable {
        int count = count();
        for (int i = 0; i < count; i++) {
            need(8);
            int file = buffer.getInt();
            int length = buffer.getInt();
            if (length < 0 || length > MAX_SUBSCRIPTION) {
                throw new Unusable(section + ": subscription of " + length + " bytes");
            }
            need(length);
            ByteBuffer payload = buffer.slice(buffer.position(), length).order(ByteOrder.LITTLE_ENDIAN);
            buffer.position(buffer.position() + length);
            String[] why = new String[1];
            StoredSubscription decoded = RecordCodec.decodeSubscription(payload, why);
            if (decoded == null) {
                defer(section + ": " + why[0]);
            } else if (file < 0) {
                defer(section + ": subscription " + decoded.container() + " is in db-" + file + ".log");
            } else if (deferred == null) {
                visitor.subscription(decoded, file, RecordDescriptor.HEADER_LENGTH + (long) length);
            }
        }
    }

    private void files(Visitor visitor) throws IOException, Unusable {
        int count = count();
        for (int i = 0; i < count; i++) {
            need(20);
            int file = buffer.getInt();
            int live = buffer.getInt();
            long bytes = buffer.getLong();
            int cancels = buffer.getInt();
            if (cancels < 0 || cancels > (limit - offset()) / 4) {
                throw new Unusable(section + ": data file " + file + " with " + cancels + " cancelled files");
            }
            int[] cancelled = new int[cancels];
            for (int c = 0; c < cancels; c++) {
                need(4);
                cancelled[c] = buffer.getInt();
            }
            if (live < 0 || bytes < 0) {
                defer(section + ": data file " + file + " with " + live + " live records of " + bytes + " bytes");
            } else if (deferred == null) {
                visitor.file(file, live, bytes, cancelled);
            }
        }
    }

    private void prepared(Visitor visitor) throws IOException, Unusable {
        need(8);
        long lastSequence = buffer.getLong();
        if (deferred == null) {
            visitor.lastBranchSequence(lastSequence);
        }
        int count = count();
        for (int i = 0; i < count; i++) {
            need(4 + 4 + 1);
            int file = buffer.getInt();
            long bytes = Integer.toUnsignedLong(buffer.getInt());
            int xidLength = Byte.toUnsignedInt(buffer.get());
            if (xidLength == 0 || xidLength > RecordCodec.MAX_XID_LENGTH) {
                throw new Unusable(section + ": branch identity of " + xidLength + " bytes");
            }
            need(xidLength);
            byte[] xid = new byte[xidLength];
            buffer.get(xid);
            need(8 + 4 + 4);
            long sequence = buffer.getLong();
            int adds = buffer.getInt();
            int removes = buffer.getInt();
            if (adds < 0 || removes < 0 || adds > (limit - offset()) / 2 || removes > (limit - offset()) / 2) {
                throw new Unusable(section + ": branch " + PreparedBranches.hex(xid) + " with " + adds
                        + " adds and " + removes + " removes");
            }
            List<PreparedBranches.Add> added = new ArrayList<>(Math.min(adds, 1024));
            for (int a = 0; a < adds; a++) {
                String queue = string();
                need(CheckpointDescriptor.ENTRY_LENGTH);
                long id = buffer.getLong();
                int at = buffer.getInt();
                long offset = Integer.toUnsignedLong(buffer.getInt());
                int length = buffer.getInt();
                if (at < 0 || length < 0) {
                    defer(section + ": message " + id + " of queue '" + queue + "' in branch "
                            + PreparedBranches.hex(xid) + " is at db-" + at + ".log@" + offset + "+" + length);
                } else {
                    added.add(new PreparedBranches.Add(queue, id, MessageRef.at(new Location(at, offset, length))));
                }
            }
            List<StoreBatch.Remove> removed = new ArrayList<>(Math.min(removes, 1024));
            for (int r = 0; r < removes; r++) {
                String queue = string();
                need(8);
                removed.add(new StoreBatch.Remove(queue, buffer.getLong()));
            }
            if (file < 0) {
                defer(section + ": branch " + PreparedBranches.hex(xid) + " is in db-" + file + ".log");
            } else if (deferred == null) {
                visitor.branch(new PreparedBranches.Branch(xid, sequence, added, removed, file, bytes));
            }
        }
    }

    private void marks(Visitor visitor) throws IOException, Unusable {
        int count = count();
        for (int i = 0; i < count; i++) {
            String container = string();
            need(16);
            long id = buffer.getLong();
            int file = buffer.getInt();
            long bytes = Integer.toUnsignedLong(buffer.getInt());
            if (file < 0) {
                defer(section + ": the mark of '" + container + "' is in db-" + file + ".log");
            } else if (deferred == null) {
                visitor.mark(container, id, file, bytes);
            }
        }
    }

    private void defer(String problem) {
        if (deferred == null) {
            deferred = problem;
        }
    }

    private int count() throws IOException, Unusable {
        need(4);
        int count = buffer.getInt();
        if (count < 0) {
            throw new Unusable(section + ": negative count " + count);
        }
        return count;
    }

    private String string() throws IOException, Unusable {
        need(2);
        int length = Short.toUnsignedInt(buffer.getShort());
        need(length);
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private void checkCrc() throws IOException, Unusable {
        updateCrc();
        int computed = (int) crc.getValue();
        need(CheckpointDescriptor.SECTION_CRC_LENGTH);
        int stored = buffer.getInt();
        crcFrom = buffer.position();
        if (stored != computed) {
            throw new Unusable(section + ": CRC32C mismatch (stored " + String.format("%08x", stored)
                    + ", computed " + String.format("%08x", computed) + ")");
        }
    }

    private long offset() {
        return bufferStart + buffer.position();
    }

    private void skip(long n) throws IOException, Unusable {
        long left = n;
        while (left > 0) {
            int step = (int) Math.min(left, BUFFER / 2);
            need(step);
            buffer.position(buffer.position() + step);
            left -= step;
        }
    }

    /** Makes {@code n} more bytes available in the buffer, within the current section. */
    private void need(int n) throws IOException, Unusable {
        if (offset() + n > limit) {
            throw new Unusable(section + " ends inside a field (" + n + " bytes needed at offset " + offset()
                    + ", " + (limit - offset()) + " left)");
        }
        if (buffer.remaining() >= n) {
            return;
        }
        updateCrc();
        bufferStart += buffer.position();
        buffer.compact();
        while (buffer.position() < n) {
            if (channel.read(buffer) < 0) {
                throw new Unusable(path + " ends at offset " + (bufferStart + buffer.position()) + ", inside "
                        + section);
            }
        }
        buffer.flip();
        crcFrom = 0;
    }

    private void updateCrc() {
        ByteBuffer pending = buffer.duplicate();
        pending.limit(buffer.position()).position(crcFrom);
        crc.update(pending);
        crcFrom = buffer.position();
    }
}

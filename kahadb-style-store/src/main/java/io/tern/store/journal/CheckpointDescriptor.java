package io.tern.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The layout of a checkpoint file {@code checkpoint-<sequence>.ckpt}: a header, then sections, each with its own
 * CRC32C, the last of type {@link Section#END}. Numbers are little-endian.
 *
 * <pre>
 * Header (40 bytes)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Magic "TERNCKPT" (8 ASCII bytes)              |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Format Version (i32)                       |  8
 *  +---------------------------------------------------------------+
 *  |            Journal Position: data file number (i32)           | 12
 *  +---------------------------------------------------------------+
 *  |            Journal Position: offset in that file (i64)        | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Checkpoint Sequence (i64)                    | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 CRC32C of bytes 0..31 (i32)                   | 32
 *  +---------------------------------------------------------------+
 *  |                    Reserved, always 0 (i32)                   | 36
 *  +---------------------------------------------------------------+
 *
 * Section (12 + length + 4 bytes)
 *  +-------------------------------+-------------------------------+
 *  |         Type (u16)            |          Flags (u16)          |  0
 *  +-------------------------------+-------------------------------+
 *  |                    Payload Length (i64)                       |  4
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Payload ...                          ... 12
 *  +---------------------------------------------------------------+
 *  |        CRC32C of the section's 12 header bytes and payload    | 12 + length
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The index the file holds reflects every journal record before the position and none after it (see
 * {@link JournalPosition}). A checkpoint is usable only when its header and every section check out and its last
 * section is END with nothing after it; recovery then replays only the records after the position.
 *
 * <p>Sections (payloads as {@link CheckpointWriter} writes them; {@code STR} is a u16 length and UTF-8 bytes):
 * <pre>
 *  MESSAGES (1)      := queue-count i32 | queue-count x (name STR | count i32 | count x ENTRY)
 *  ENTRY             := id i64 | data file i32 | offset u32 | envelope length i32    (ids ascending per queue)
 *  SUBSCRIPTIONS (2) := count i32 | count x (data file i32 | length i32 | a SUBSCRIBE record's payload)
 *  FILES (3)         := count i32 | count x (data file i32 | live records i32 | live bytes i64 | n i32
 *                       | n x cancelled data file i32)
 *  PREPARED (4)      := last sequence i64 | count i32 | count x BRANCH                  (in prepare order)
 *  BRANCH            := data file i32 | record length i32 | xid-length u8 | xid | sequence i64 | add-count i32
 *                       | remove-count i32 | add-count x (queue STR | ENTRY) | remove-count x (queue STR | id i64)
 *  MARKS (5)         := count i32 | count x (container STR | id i64 | data file i32 | record length i32)
 *  END (0)           := nothing
 * </pre>
 * A subscription's record is as long as the SUBSCRIBE record of its payload (header and payload). FILES holds the
 * {@link FileReferences}: per data file its live records (messages, subscriptions, prepared branches' PREPAREs,
 * marks) with their bytes, and the older files whose records its records cancel. PREPARED holds each branch with the
 * data file and length of its PREPARE record and where each add's envelope is inside it; its sequence number keeps
 * prepare order, and the last sequence given keeps new branches after every earlier one.
 *
 * <p>Every section this version knows is required: a checkpoint without one is unusable (a reader would otherwise
 * take missing state for empty state). A section type this code does not know is skipped when its flag
 * {@link #FLAG_SKIPPABLE} is set; otherwise the checkpoint was written by a newer Tern and is refused with a message
 * naming the section, as a newer format version is. New kinds of state are new section types; the version changes
 * only when an existing section's layout does.
 */
final class CheckpointDescriptor {
    static final byte[] MAGIC = "TERNCKPT".getBytes(StandardCharsets.US_ASCII);
    /** The checkpoint format this code writes and reads. */
    static final int VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int POSITION_FILE_OFFSET = 12;
    static final int POSITION_OFFSET_OFFSET = 16;
    static final int SEQUENCE_OFFSET = 24;
    static final int HEADER_CRC_OFFSET = 32;
    static final int RESERVED_OFFSET = 36;
    static final int HEADER_LENGTH = 40;
    static final int SECTION_HEADER_LENGTH = 12;
    static final int SECTION_CRC_LENGTH = 4;
    /** Section flag: a reader that does not know the section's type may skip it. */
    static final int FLAG_SKIPPABLE = 1;
    /** Bytes of one MESSAGES entry. */
    static final int ENTRY_LENGTH = 8 + 4 + 4 + 4;

    static final String SUFFIX = ".ckpt";
    /** A checkpoint being written; renamed to its final name once forced. */
    static final String TEMP_SUFFIX = ".tmp";
    /** A checkpoint recovery found unusable, kept for inspection. */
    static final String UNUSABLE_SUFFIX = ".unusable";
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{1,18})\\.ckpt");
    private static final Pattern ANY_NAME = Pattern.compile("checkpoint-(\\d{1,18})\\.ckpt(\\..*)?");

    /** The kinds of section; every one but END must appear once, before END. */
    enum Section {
        END(0),
        MESSAGES(1),
        SUBSCRIPTIONS(2),
        FILES(3),
        PREPARED(4),
        MARKS(5);

        final int code;

        Section(int code) {
            this.code = code;
        }

        /** The section with this code, or null for a code this version does not know. */
        static Section of(int code) {
            for (Section s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            return null;
        }
    }

    private CheckpointDescriptor() {
    }

    static String name(long sequence) {
        return "checkpoint-" + sequence + SUFFIX;
    }

    /** The sequence in a checkpoint file's name, or -1 when {@code path} is not named like one. */
    static long sequenceOf(Path path) {
        Matcher m = NAME.matcher(path.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The checkpoint files of {@code dir}, newest (highest sequence) first. */
    static List<Path> list(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "checkpoint-*" + SUFFIX)) {
            for (Path p : stream) {
                if (sequenceOf(p) >= 0) {
                    paths.add(p);
                }
            }
        }
        paths.sort(Comparator.comparingLong(CheckpointDescriptor::sequenceOf).reversed());
        return paths;
    }

    /** The highest sequence any checkpoint file of {@code dir} has (usable, being written or set aside), or 0. */
    static long highestSequence(Path dir) throws IOException {
        long highest = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "checkpoint-*")) {
            for (Path p : stream) {
                Matcher m = ANY_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    highest = Math.max(highest, Long.parseLong(m.group(1)));
                }
            }
        }
        return highest;
    }

    static ByteBuffer header(JournalPosition position, long sequence) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC_OFFSET, MAGIC);
        header.putInt(VERSION_OFFSET, VERSION);
        header.putInt(POSITION_FILE_OFFSET, position.file());
        header.putLong(POSITION_OFFSET_OFFSET, position.offset());
        header.putLong(SEQUENCE_OFFSET, sequence);
        header.putInt(HEADER_CRC_OFFSET, headerCrc(header));
        return header;
    }

    static int headerCrc(ByteBuffer header) {
        CRC32C crc = new CRC32C();
        crc.update(header.duplicate().position(0).limit(HEADER_CRC_OFFSET));
        return (int) crc.getValue();
    }

    /** Why {@code header} cannot start a checkpoint (garbled), or null when its magic and CRC are right. */
    static String headerProblem(ByteBuffer header) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (header.get(MAGIC_OFFSET + i) != MAGIC[i]) {
                return "it does not start with the checkpoint magic \"TERNCKPT\"";
            }
        }
        int stored = header.getInt(HEADER_CRC_OFFSET);
        int computed = headerCrc(header);
        if (stored != computed) {
            return String.format("header CRC32C mismatch (stored %08x, computed %08x)", stored, computed);
        }
        if (header.getInt(RESERVED_OFFSET) != 0) {
            return "reserved header bytes are " + Integer.toHexString(header.getInt(RESERVED_OFFSET)) + ", not 0";
        }
        if (header.getInt(POSITION_FILE_OFFSET) < 0 || header.getLong(POSITION_OFFSET_OFFSET) < 0) {
            return "negative journal position";
        }
        return null;
    }

    /**
     * Refuses a checkpoint of another format version.
     *
     * @throws JournalException naming the file, its version and the version this code reads
     */
    static void checkVersion(ByteBuffer header, Path file) {
        int version = header.getInt(VERSION_OFFSET);
        if (version != VERSION) {
            throw new JournalException(file + " has checkpoint format version " + version + "; this Tern reads "
                    + "version " + VERSION + " only. Use the Tern version that wrote it.");
        }
    }

    static JournalPosition position(ByteBuffer header) {
        return new JournalPosition(header.getInt(POSITION_FILE_OFFSET), header.getLong(POSITION_OFFSET_OFFSET));
    }

    static long sequence(ByteBuffer header) {
        return header.getLong(SEQUENCE_OFFSET);
    }
}

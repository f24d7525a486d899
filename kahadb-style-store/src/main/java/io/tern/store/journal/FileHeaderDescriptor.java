package io.tern.store.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The 16-byte header that starts every data file ({@code db-N.log}). Numbers are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Magic "TERNJRNL" (8 ASCII bytes)              |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Format Version (i32)                       |  8
 *  +---------------------------------------------------------------+
 *  |                  File Number N (i32), as in the name          | 12
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>A file whose version is not {@link #VERSION} is refused with a message naming both versions: a newer format
 * is never read as if it were this one. Migrations, when a second version exists, are numbered classes.
 */
final class FileHeaderDescriptor {
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int FILE_NUMBER_OFFSET = 12;
    static final int LENGTH = 16;
    static final byte[] MAGIC = "TERNJRNL".getBytes(StandardCharsets.US_ASCII);
    /** The journal format this code writes and reads. */
    static final int VERSION = 1;

    private FileHeaderDescriptor() {
    }

    static ByteBuffer header(int fileNumber) {
        ByteBuffer header = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC_OFFSET, MAGIC);
        header.putInt(VERSION_OFFSET, VERSION);
        header.putInt(FILE_NUMBER_OFFSET, fileNumber);
        return header;
    }

    /** Why a header is unusable because it is garbled (wrong magic), or null when the magic is right. */
    static String magicProblem(ByteBuffer header, Path file) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (header.get(MAGIC_OFFSET + i) != MAGIC[i]) {
                return file + " does not start with the journal magic \"TERNJRNL\" (byte " + i + " is "
                        + (header.get(MAGIC_OFFSET + i) & 0xFF) + ")";
            }
        }
        return null;
    }

    /**
     * Refuses a file written in another format version.
     *
     * @throws JournalException naming the file, its version and the version this code reads
     */
    static void checkVersion(ByteBuffer header, Path file) {
        int version = header.getInt(VERSION_OFFSET);
        if (version != VERSION) {
            throw new JournalException(file + " has journal format version " + version + "; this Tern reads version "
                    + VERSION + " only. Use the Tern version that wrote it, or migrate the directory.");
        }
    }

    static int fileNumber(ByteBuffer header) {
        return header.getInt(FILE_NUMBER_OFFSET);
    }
}

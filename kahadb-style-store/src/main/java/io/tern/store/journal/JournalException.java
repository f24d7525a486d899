package io.tern.store.journal;

/**
 * The journal cannot do what it was asked: open its directory (locked, incompatible version), write or force a file.
 * The message names the directory or file and the cause.
 */
public final class JournalException extends RuntimeException {
    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}

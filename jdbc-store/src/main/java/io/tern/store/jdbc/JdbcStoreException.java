package io.tern.store.jdbc;

/** The JDBC store cannot do what was asked; the message names the database and the cause. */
public final class JdbcStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JdbcStoreException(String message) {
        super(message);
    }

    public JdbcStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

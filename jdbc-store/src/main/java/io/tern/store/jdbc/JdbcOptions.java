package io.tern.store.jdbc;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where and how a {@link JdbcStore} connects.
 *
 * @param url         the JDBC URL; its prefix chooses the {@link Dialect}
 * @param user        the database user, or null
 * @param password    the user's password, or null
 * @param poolSize    the most connections the pool opens, at least 2 (one is the writer's); default 8
 * @param tablePrefix prepended to every table name, letters, digits and '_' only; default {@code tern_}. Tests use
 *                    it to keep their tables apart; a broker keeps the default
 */
public record JdbcOptions(String url, String user, String password, int poolSize, String tablePrefix) {
    public static final int DEFAULT_POOL_SIZE = 8;
    public static final String DEFAULT_TABLE_PREFIX = "tern_";

    /** The option keys, as the broker's configuration spells them. */
    public static final String URL_KEY = "jdbc.url";
    public static final String USER_KEY = "jdbc.user";
    public static final String PASSWORD_KEY = "jdbc.password";
    public static final String POOL_SIZE_KEY = "jdbc.pool-size";

    public JdbcOptions {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(URL_KEY + " must be set");
        }
        Dialect.forUrl(url);
        if (poolSize < 2) {
            throw new IllegalArgumentException(POOL_SIZE_KEY + " " + poolSize + " is below 2");
        }
        if (!tablePrefix.matches("[A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("table prefix '" + tablePrefix + "' has a character other than "
                    + "letters, digits and '_'");
        }
    }

    /** The embedded H2 database in {@code directory} (file {@code tern.mv.db}), with the defaults. */
    public static JdbcOptions h2(Path directory) {
        return new JdbcOptions(h2Url(directory), null, null, DEFAULT_POOL_SIZE, DEFAULT_TABLE_PREFIX);
    }

    /** The URL of the embedded H2 database kept in {@code directory}. */
    public static String h2Url(Path directory) {
        return "jdbc:h2:file:" + directory.toAbsolutePath().resolve("tern");
    }

    /**
     * The options a broker's store settings give; {@code jdbc.url} defaults to the H2 database in
     * {@code defaultDirectory}.
     *
     * @throws IllegalArgumentException naming the bad key and value
     */
    public static JdbcOptions from(Map<String, String> storeOptions, Path defaultDirectory) {
        String url = storeOptions.getOrDefault(URL_KEY, h2Url(defaultDirectory));
        String size = storeOptions.get(POOL_SIZE_KEY);
        int poolSize = DEFAULT_POOL_SIZE;
        if (size != null) {
            try {
                poolSize = Integer.parseInt(size.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(POOL_SIZE_KEY + " '" + size + "' is not a whole number", e);
            }
        }
        return new JdbcOptions(url, storeOptions.get(USER_KEY), storeOptions.get(PASSWORD_KEY), poolSize,
                DEFAULT_TABLE_PREFIX);
    }

    /** The same options with another table prefix. */
    public JdbcOptions withTablePrefix(String prefix) {
        return new JdbcOptions(url, user, password, poolSize, prefix);
    }

    /** The database's dialect. */
    public Dialect dialect() {
        return Dialect.forUrl(url);
    }

    /** The URL without any password a server URL may carry in its query, for logs and messages. */
    public String safeUrl() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}

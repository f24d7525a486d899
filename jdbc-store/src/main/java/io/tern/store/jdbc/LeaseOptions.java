package io.tern.store.jdbc;

import java.util.Map;

/**
 * How long the JDBC store's lease lasts and how often the active broker renews it.
 *
 * @param leaseMillis how long the lease runs after each renewal (by the database's clock); a standby takes over at
 *                    the latest this long after the active broker's last renewal; default 10000
 * @param renewMillis how often the active broker renews, at most a third of {@code leaseMillis}; default 2000. A
 *                    broker that has not renewed for {@code leaseMillis - renewMillis}, counted from when its last
 *                    successful renewal was sent, stops serving: before its lease can run out
 */
public record LeaseOptions(long leaseMillis, long renewMillis) {
    public static final String LEASE_KEY = "jdbc.lease-ms";
    public static final String RENEW_KEY = "jdbc.lease-renew-ms";
    public static final LeaseOptions DEFAULT = new LeaseOptions(10_000, 2_000);

    public LeaseOptions {
        if (renewMillis < 1 || renewMillis * 3 > leaseMillis) {
            throw new IllegalArgumentException(RENEW_KEY + " " + renewMillis + " must be 1.." + leaseMillis / 3
                    + " (at most a third of " + LEASE_KEY + " " + leaseMillis + ")");
        }
    }

    /**
     * The options a broker's store settings give.
     *
     * @throws IllegalArgumentException naming the bad key and value
     */
    public static LeaseOptions from(Map<String, String> storeOptions) {
        long lease = number(storeOptions, LEASE_KEY, DEFAULT.leaseMillis);
        long renew = number(storeOptions, RENEW_KEY, Math.min(DEFAULT.renewMillis, lease / 3));
        return new LeaseOptions(lease, renew);
    }

    /** How long after a successful renewal was sent the broker gives up serving unless it renewed again. */
    long giveUpMillis() {
        return leaseMillis - renewMillis;
    }

    private static long number(Map<String, String> options, String key, long otherwise) {
        String v = options.get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + v + "' is not a whole number", e);
        }
    }
}

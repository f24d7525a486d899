package io.tern.ra;

import jakarta.resource.spi.ConnectionRequestInfo;
import java.util.Objects;

/**
 * What an application asked for with {@code createConnection(user, password)}: the credentials the pool matches
 * managed connections on when the container passes no {@code Subject}.
 */
final class TernConnectionRequestInfo implements ConnectionRequestInfo {
    private final String user;
    private final String password;

    TernConnectionRequestInfo(String user, String password) {
        this.user = user;
        this.password = password;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TernConnectionRequestInfo c && Objects.equals(c.user, user)
                && Objects.equals(c.password, password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, password);
    }

    @Override
    public String toString() {
        return "TernConnectionRequestInfo[user=" + user + "]";
    }
}

package io.tern.ra;

import java.io.Serializable;
import java.util.Objects;

/**
 * The connection config properties that the resource adapter, each managed connection factory and each activation
 * spec have: {@code ServerUrl}, {@code UserName}, {@code Password}, {@code ClientId} and
 * {@code ConnectionParameters} ({@code key=value;key=value}, added to the URI's query). A level that leaves one unset
 * (null or blank) takes it from the level above ({@link #over}). Public so that a server sets them through the
 * subclasses' inherited JavaBean setters.
 */
public abstract class ConnectionProperties implements Serializable {
    private static final long serialVersionUID = 1L;

    private String serverUrl;
    private String userName;
    private String password;
    private String clientId;
    private String connectionParameters;

    public String getServerUrl() {
        return serverUrl;
    }

    public void setServerUrl(String serverUrl) {
        this.serverUrl = serverUrl;
    }

    public String getUserName() {
        return userName;
    }

    public void setUserName(String userName) {
        this.userName = userName;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getConnectionParameters() {
        return connectionParameters;
    }

    public void setConnectionParameters(String connectionParameters) {
        this.connectionParameters = connectionParameters;
    }

    /**
     * The broker and credentials these properties give: each one set wins, each one unset takes {@code inherited}'s
     * value, and {@code ConnectionParameters} are added to whichever URI that leaves. A level that must not inherit
     * the client id passes an {@code inherited} without one.
     */
    BrokerAddress over(BrokerAddress inherited) {
        return new BrokerAddress(BrokerAddress.withParameters(isSet(serverUrl) ? serverUrl : inherited.url(),
                connectionParameters), isSet(userName) ? userName : inherited.user(),
                isSet(password) ? password : inherited.password(), isSet(clientId) ? clientId : inherited.clientId());
    }

    static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** Whether {@code other} has the same five properties, for the subclasses' {@code equals}. */
    final boolean sameConnection(ConnectionProperties other) {
        return Objects.equals(serverUrl, other.serverUrl) && Objects.equals(userName, other.userName)
                && Objects.equals(password, other.password) && Objects.equals(clientId, other.clientId)
                && Objects.equals(connectionParameters, other.connectionParameters);
    }

    /** A hash of the properties but the password, for the subclasses' {@code hashCode}. */
    final int connectionHash() {
        return Objects.hash(serverUrl, userName, clientId, connectionParameters);
    }
}

package io.tern.ra;

/**
 * Where and as whom the adapter connects: the broker URI with the extra {@code ConnectionParameters} folded into
 * its query, and the credentials.
 *
 * @param url      the broker URI, e.g. {@code tcp://127.0.0.1:61616} or {@code vm://tern}
 * @param user     the user name, or null for an anonymous connection
 * @param password the password, or null
 * @param clientId the client id of the connection, or null
 */
record BrokerAddress(String url, String user, String password, String clientId) {

    /** {@code url} with {@code parameters} ({@code key=value} pairs separated by {@code ;} or {@code &}) added. */
    static String withParameters(String url, String parameters) {
        if (parameters == null || parameters.isBlank()) {
            return url;
        }
        String query = String.join("&", parameters.trim().split("\\s*[;&]\\s*"));
        return url + (url.contains("?") ? "&" : "?") + query;
    }

    @Override
    public String toString() {
        return url + (user == null ? "" : " as " + user) + (clientId == null ? "" : " (client id " + clientId + ")");
    }
}

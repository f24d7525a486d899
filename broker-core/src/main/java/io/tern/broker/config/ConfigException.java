package io.tern.broker.config;

/** A configuration key or value that cannot be used; the message names the key, the value and where it came from. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}

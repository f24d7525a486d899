package org.example.untrusted;

import java.io.Serializable;

/** A serializable class outside the default trusted packages. */
public record Payload(String value) implements Serializable {
}

package io.tern.broker.session;

import io.tern.jms.wire.XaCode;

/**
 * The answer to an XA request: an {@link XaCode} and, when refused, why.
 *
 * @param code    {@code XA_OK}, {@code XA_RDONLY} or an {@code XAException} error code
 * @param message why it was refused, or null
 */
public record XaOutcome(int code, String message) {
    static final XaOutcome OK = new XaOutcome(XaCode.XA_OK, null);
    static final XaOutcome READ_ONLY = new XaOutcome(XaCode.XA_RDONLY, null);

    static XaOutcome of(XaRefusal refusal) {
        return new XaOutcome(refusal.code(), refusal.getMessage());
    }
}

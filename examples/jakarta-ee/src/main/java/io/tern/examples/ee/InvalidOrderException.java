package io.tern.examples.ee;

import jakarta.ejb.ApplicationException;

/** An order the shop refuses; thrown from an EJB it rolls the caller's transaction back (and every send in it). */
@ApplicationException(rollback = true)
public class InvalidOrderException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidOrderException(String message) {
        super(message);
    }
}

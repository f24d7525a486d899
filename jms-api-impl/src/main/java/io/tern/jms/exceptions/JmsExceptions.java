package io.tern.jms.exceptions;

import io.tern.jms.wire.ErrorCode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ResourceAllocationRuntimeException;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.TransactionRolledBackRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.TransactionRolledBackException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Maps broker errors and failures below the JMS objects to the JMS exception the spec asks for. */
public final class JmsExceptions {
    private JmsExceptions() {
    }

    /** The JMS exception for a broker's ERROR frame. */
    public static JMSException of(ErrorCode code, String message) {
        String text = message == null ? code.name() : message;
        String errorCode = code.name();
        return switch (code) {
            case SECURITY -> new JMSSecurityException(text, errorCode);
            case INVALID_DESTINATION -> new InvalidDestinationException(text, errorCode);
            case INVALID_CLIENT_ID -> new InvalidClientIDException(text, errorCode);
            case INVALID_SELECTOR -> new InvalidSelectorException(text, errorCode);
            case ILLEGAL_STATE -> new IllegalStateException(text, errorCode);
            case RESOURCE_ALLOCATION -> new ResourceAllocationException(text, errorCode);
            case TRANSACTION_ROLLED_BACK -> new TransactionRolledBackException(text, errorCode);
            default -> new JMSException(text, errorCode);
        };
    }

    /** A JMS call whose checked exception the simplified API throws as its unchecked twin ({@link #unchecked}). */
    @FunctionalInterface
    public interface JmsCall<T> {
        T call() throws JMSException;
    }

    /** Runs {@code call}; a {@link JMSException} comes out as {@link #toRuntime(JMSException)} of it. */
    public static <T> T unchecked(JmsCall<T> call) {
        try {
            return call.call();
        } catch (JMSException e) {
            throw toRuntime(e);
        }
    }

    /**
     * The unchecked form of a JMS exception, for the simplified API: each checked type maps to its
     * {@code *RuntimeException} twin, anything else to {@link JMSRuntimeException}. The original is the cause.
     */
    public static JMSRuntimeException toRuntime(JMSException e) {
        String message = e.getMessage();
        String code = e.getErrorCode();
        JMSRuntimeException r;
        if (e instanceof IllegalStateException) {
            r = new IllegalStateRuntimeException(message, code, e);
        } else if (e instanceof InvalidClientIDException) {
            r = new InvalidClientIDRuntimeException(message, code, e);
        } else if (e instanceof InvalidDestinationException) {
            r = new InvalidDestinationRuntimeException(message, code, e);
        } else if (e instanceof InvalidSelectorException) {
            r = new InvalidSelectorRuntimeException(message, code, e);
        } else if (e instanceof JMSSecurityException) {
            r = new JMSSecurityRuntimeException(message, code, e);
        } else if (e instanceof MessageFormatException) {
            r = new MessageFormatRuntimeException(message, code, e);
        } else if (e instanceof MessageNotWriteableException) {
            r = new MessageNotWriteableRuntimeException(message, code, e);
        } else if (e instanceof ResourceAllocationException) {
            r = new ResourceAllocationRuntimeException(message, code, e);
        } else if (e instanceof TransactionInProgressException) {
            r = new TransactionInProgressRuntimeException(message, code, e);
        } else if (e instanceof TransactionRolledBackException) {
            r = new TransactionRolledBackRuntimeException(message, code, e);
        } else {
            r = new JMSRuntimeException(message, code, e);
        }
        return r;
    }

    /** Wraps any cause in a JMSException with a message, keeping the cause. */
    public static JMSException wrap(String message, Throwable cause) {
        if (cause instanceof JMSException j && message == null) {
            return j;
        }
        JMSException e = new JMSException(message != null ? message : String.valueOf(cause));
        e.setLinkedException(cause instanceof Exception ex ? ex : new RuntimeException(cause));
        e.initCause(cause);
        return e;
    }

    /**
     * Waits for a request's answer, at most {@code timeoutMillis} (0 = for ever), and rethrows its failure as the
     * JMS exception it stands for.
     */
    public static <T> T await(CompletableFuture<T> future, long timeoutMillis, String what) throws JMSException {
        try {
            return timeoutMillis > 0 ? future.get(timeoutMillis, TimeUnit.MILLISECONDS) : future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JMSException j) {
                JMSException copy = copyWithContext(j);
                throw copy;
            }
            throw wrap(what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new JMSException(what + " got no answer from the broker within " + timeoutMillis + " ms");
        } catch (CancellationException e) {
            throw new JMSException(what + " was cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw wrap(what + " was interrupted", e);
        }
    }

    /** The same exception type and message, thrown from the caller's stack (the original is linked). */
    private static JMSException copyWithContext(JMSException j) {
        JMSException copy;
        try {
            copy = j.getClass().getConstructor(String.class, String.class).newInstance(j.getMessage(), j.getErrorCode());
        } catch (ReflectiveOperationException e) {
            return j;
        }
        copy.initCause(j);
        copy.setLinkedException(j);
        return copy;
    }
}

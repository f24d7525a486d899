package io.tern.jms.wire;

import java.util.Arrays;

/**
 * Every frame of the Tern protocol, one record per type. A frame travels as
 * {@code u32 length | u8 type | i32 correlationId | payload} (see {@link FrameDescriptor});
 * the records hold the payload, and {@link #correlationId()} pairs a request with its response.
 * A correlation id of 0 means "no response wanted".
 */
public sealed interface Frame {

    FrameType type();

    int correlationId();

    /** Client to broker, first frame on a connection. */
    record Hello(int correlationId, int protocolVersion, String clientId, String username, String password,
                 int maxFrameSize, int heartbeatMillis) implements Frame {
        public FrameType type() {
            return FrameType.HELLO;
        }

        @Override
        public String toString() {
            return "Hello[v" + protocolVersion + ", clientId=" + clientId + ", user=" + username
                    + ", maxFrameSize=" + maxFrameSize + ", heartbeatMillis=" + heartbeatMillis + "]";
        }
    }

    /** Broker to client, the answer to a successful {@link Hello}: what was negotiated. */
    record HelloOk(int correlationId, int protocolVersion, String brokerName, String brokerVersion,
                   String connectionId, int maxFrameSize, int heartbeatMillis) implements Frame {
        public FrameType type() {
            return FrameType.HELLO_OK;
        }
    }

    /** The answer to a request that succeeded. */
    record Ok(int correlationId) implements Frame {
        public FrameType type() {
            return FrameType.OK;
        }
    }

    /** The answer to a request that failed; with correlation id 0, a connection-level error before close. */
    record Error(int correlationId, ErrorCode code, String message) implements Frame {
        public FrameType type() {
            return FrameType.ERROR;
        }
    }

    /** Sent by either side when it has written nothing for a heartbeat interval. */
    record Heartbeat() implements Frame {
        public static final Heartbeat INSTANCE = new Heartbeat();

        public FrameType type() {
            return FrameType.HEARTBEAT;
        }

        public int correlationId() {
            return 0;
        }
    }

    /** Client to broker: close the connection cleanly; the broker answers OK, then the client closes the socket. */
    record Close(int correlationId) implements Frame {
        public FrameType type() {
            return FrameType.CLOSE;
        }
    }

    /** Client to broker: set the client id after the handshake (before any other use of the connection). */
    record SetClientId(int correlationId, String clientId) implements Frame {
        public FrameType type() {
            return FrameType.SET_CLIENT_ID;
        }
    }

    /** Client to broker: a session with a client-chosen id and its acknowledgement mode. */
    record SessionOpen(int correlationId, int sessionId, SessionMode mode) implements Frame {
        public FrameType type() {
            return FrameType.SESSION_OPEN;
        }
    }

    /**
     * Client to broker: close a session. {@code delivered} lists the unsettled deliveries the application saw; the
     * broker returns them as redelivered. Every other delivery the session holds (prefetched, or still in flight
     * when the client closed) goes back without counting a delivery; an open transaction is rolled back.
     */
    record SessionClose(int correlationId, int sessionId, long[] delivered) implements Frame {
        public FrameType type() {
            return FrameType.SESSION_CLOSE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SessionClose s && s.correlationId == correlationId && s.sessionId == sessionId
                    && Arrays.equals(s.delivered, delivered);
        }

        @Override
        public int hashCode() {
            return sessionId * 31 + Arrays.hashCode(delivered);
        }

        @Override
        public String toString() {
            return "SessionClose[" + sessionId + ", delivered=" + Arrays.toString(delivered) + "]";
        }
    }

    /** Client to broker: a consumer on a destination, with its selector and initial credit (prefetch). */
    record ConsumerOpen(int correlationId, long consumerId, int sessionId, WireDestination destination,
                        String selector, int flags, String subscriptionName, int prefetch) implements Frame {
        /** Do not deliver messages published by this connection (topics). */
        public static final int NO_LOCAL = 1;
        /** A durable subscription, named by {@code subscriptionName} (topics). */
        public static final int DURABLE = 2;
        /** A shared subscription, named by {@code subscriptionName} (topics). */
        public static final int SHARED = 4;
        /** A browser: messages are copied, never removed. */
        public static final int BROWSER = 8;

        public FrameType type() {
            return FrameType.CONSUMER_OPEN;
        }

        public boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /**
     * Client to broker: close a consumer. Its {@code delivered} deliveries (seen by the application, unsettled)
     * stay with the session; every other delivery it holds goes back without counting a delivery.
     */
    record ConsumerClose(int correlationId, long consumerId, long[] delivered) implements Frame {
        public FrameType type() {
            return FrameType.CONSUMER_CLOSE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ConsumerClose c && c.correlationId == correlationId && c.consumerId == consumerId
                    && Arrays.equals(c.delivered, delivered);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(consumerId) * 31 + Arrays.hashCode(delivered);
        }

        @Override
        public String toString() {
            return "ConsumerClose[" + consumerId + ", delivered=" + Arrays.toString(delivered) + "]";
        }
    }

    /**
     * Client to broker: a temporary queue or topic owned by this connection. It lives until the connection ends or
     * deletes it; only this connection may consume from it.
     */
    record TempCreate(int correlationId, WireDestination destination) implements Frame {
        public FrameType type() {
            return FrameType.TEMP_CREATE;
        }
    }

    /** Client to broker: delete a temporary destination this connection owns; refused while it has consumers. */
    record TempDelete(int correlationId, WireDestination destination) implements Frame {
        public FrameType type() {
            return FrameType.TEMP_DELETE;
        }
    }

    /**
     * Client to broker: delete the durable subscription {@code subscriptionName} of this connection's client id (or
     * of no client id when none is set), shared or not, with the messages it holds. Refused while it has a consumer.
     */
    record Unsubscribe(int correlationId, String subscriptionName) implements Frame {
        public FrameType type() {
            return FrameType.UNSUBSCRIBE;
        }
    }

    /**
     * Broker to client, no answer: a browser has been sent every message of its snapshot of the queue. Nothing more
     * follows for {@code consumerId}.
     */
    record BrowseEnd(long consumerId) implements Frame {
        public FrameType type() {
            return FrameType.BROWSE_END;
        }

        public int correlationId() {
            return 0;
        }
    }

    /** Client to broker, no answer: the consumer may be sent {@code credit} more messages. */
    record Credit(long consumerId, int credit) implements Frame {
        public FrameType type() {
            return FrameType.CREDIT;
        }

        public int correlationId() {
            return 0;
        }
    }

    /**
     * Client to broker: one message, encoded once by the producer ({@link MessageEnvelope}).
     * In a transacted session the message joins the session's transaction. With a correlation id the broker
     * answers OK once the message is durable (persistent) or accepted (non-persistent).
     */
    record Send(int correlationId, int sessionId, byte[] envelope) implements Frame {
        public FrameType type() {
            return FrameType.SEND;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Send s && s.correlationId == correlationId && s.sessionId == sessionId
                    && Arrays.equals(s.envelope, envelope);
        }

        @Override
        public int hashCode() {
            return sessionId * 31 + Arrays.hashCode(envelope);
        }

        @Override
        public String toString() {
            return "Send[session=" + sessionId + ", " + envelope.length + " bytes]";
        }
    }

    /**
     * Broker to client, no answer: a message for a consumer. The envelope holds exactly the bytes the producer
     * sent; the per-delivery fields travel beside it. {@code deliveryCount} is 1 on first delivery.
     */
    record Deliver(long consumerId, long deliveryId, int deliveryCount, byte[] envelope) implements Frame {
        public FrameType type() {
            return FrameType.DELIVER;
        }

        public int correlationId() {
            return 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Deliver d && d.consumerId == consumerId && d.deliveryId == deliveryId
                    && d.deliveryCount == deliveryCount && Arrays.equals(d.envelope, envelope);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(deliveryId) * 31 + Arrays.hashCode(envelope);
        }

        @Override
        public String toString() {
            return "Deliver[consumer=" + consumerId + ", delivery=" + deliveryId + ", count=" + deliveryCount
                    + ", " + envelope.length + " bytes]";
        }
    }

    /** Client to broker: settle deliveries of a session (see {@link AckKind}). */
    record Ack(int correlationId, int sessionId, AckKind kind, long[] deliveryIds) implements Frame {
        public FrameType type() {
            return FrameType.ACK;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ack a && a.correlationId == correlationId && a.sessionId == sessionId
                    && a.kind == kind && Arrays.equals(a.deliveryIds, deliveryIds);
        }

        @Override
        public int hashCode() {
            return sessionId * 31 + Arrays.hashCode(deliveryIds);
        }

        @Override
        public String toString() {
            return "Ack[session=" + sessionId + ", " + kind + ", " + Arrays.toString(deliveryIds) + "]";
        }
    }

    /** Client to broker: commit the session's transaction (its sends and its acknowledgements). */
    record TxCommit(int correlationId, int sessionId) implements Frame {
        public FrameType type() {
            return FrameType.TX_COMMIT;
        }
    }

    /** Client to broker: roll back the session's transaction; its consumed messages are redelivered. */
    record TxRollback(int correlationId, int sessionId) implements Frame {
        public FrameType type() {
            return FrameType.TX_ROLLBACK;
        }
    }

    /**
     * Client to broker: associate the session's following sends and acknowledgements with the branch {@code xid}.
     * {@code flags} are {@code XAResource} flags (TMNOFLAGS, TMJOIN, TMRESUME). {@code timeoutSeconds}: with
     * TMNOFLAGS, the seconds the new branch may stay unprepared before the broker rolls it back; 0 for the broker's
     * default (and the field is then left off the wire, so the frame is the one of earlier versions). Answered by
     * {@link XaResult}.
     */
    record XaStart(int correlationId, int sessionId, WireXid xid, int flags, int timeoutSeconds) implements Frame {
        public XaStart {
            if (timeoutSeconds < 0) {
                throw new IllegalArgumentException("XA_START.timeoutSeconds " + timeoutSeconds + " is negative");
            }
        }

        /** XA_START with the broker's default timeout. */
        public XaStart(int correlationId, int sessionId, WireXid xid, int flags) {
            this(correlationId, sessionId, xid, flags, 0);
        }

        public FrameType type() {
            return FrameType.XA_START;
        }
    }

    /**
     * Client to broker: end the session's association with {@code xid}; {@code flags} are TMSUCCESS, TMSUSPEND or
     * TMFAIL. Answered by {@link XaResult}.
     */
    record XaEnd(int correlationId, int sessionId, WireXid xid, int flags) implements Frame {
        public FrameType type() {
            return FrameType.XA_END;
        }
    }

    /** Client to broker: phase one of two-phase commit. Answered by {@link XaResult} (XA_OK or XA_RDONLY). */
    record XaPrepare(int correlationId, WireXid xid) implements Frame {
        public FrameType type() {
            return FrameType.XA_PREPARE;
        }
    }

    /** Client to broker: commit the branch, in one phase (not prepared) or two. Answered by {@link XaResult}. */
    record XaCommit(int correlationId, WireXid xid, boolean onePhase) implements Frame {
        public FrameType type() {
            return FrameType.XA_COMMIT;
        }
    }

    /** Client to broker: roll the branch back. Answered by {@link XaResult}. */
    record XaRollback(int correlationId, WireXid xid) implements Frame {
        public FrameType type() {
            return FrameType.XA_ROLLBACK;
        }
    }

    /** Client to broker: list every prepared branch. Answered by {@link XaRecoverOk}. */
    record XaRecover(int correlationId) implements Frame {
        public FrameType type() {
            return FrameType.XA_RECOVER;
        }
    }

    /** Client to broker: forget a heuristically completed branch. Answered by {@link XaResult}. */
    record XaForget(int correlationId, WireXid xid) implements Frame {
        public FrameType type() {
            return FrameType.XA_FORGET;
        }
    }

    /**
     * Broker to client: the answer to an XA request, an {@link XaCode} (the {@code XAResource}/{@code XAException}
     * value); {@code message} says why when it is not XA_OK or XA_RDONLY, else null.
     */
    record XaResult(int correlationId, int code, String message) implements Frame {
        public FrameType type() {
            return FrameType.XA_RESULT;
        }
    }

    /** Broker to client: the answer to {@link XaRecover}, every prepared branch. */
    record XaRecoverOk(int correlationId, java.util.List<WireXid> xids) implements Frame {
        public XaRecoverOk {
            xids = java.util.List.copyOf(xids);
        }

        public FrameType type() {
            return FrameType.XA_RECOVER_OK;
        }
    }
}

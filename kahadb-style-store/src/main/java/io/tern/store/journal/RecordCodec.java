package io.tern.store.journal;

import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredSubscription;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payloads of the record types (the frame around them is {@link RecordDescriptor}). Little-endian.
 *
 * <pre>
 *  ADD    := queue-length u16 | queue UTF-8 | id i64 | envelope-length i32 | envelope bytes
 *  REMOVE := queue-length u16 | queue UTF-8 | id i64
 *  TX     := add-count i32 | remove-count i32 | add-count x ADD | remove-count x REMOVE
 *  SUBSCRIBE   := flags u8 | container STR | [client-id STR] | name STR | topic STR | [selector STR]
 *  UNSUBSCRIBE := container STR
 *  PREPARE     := XID | sequence i64 | add-count i32 | remove-count i32 | add-count x ADD | remove-count x REMOVE
 *  COMMIT_PREPARED   := XID
 *  ROLLBACK_PREPARED := XID
 *  MOVE   := as ADD
 *  MARK   := container STR | id i64
 *  STR    := length u16 | UTF-8 bytes
 *  XID    := length u8 (1..140) | bytes
 * </pre>
 *
 * SUBSCRIBE flags: bit 0 noLocal, bit 1 shared, bit 2 a client id follows, bit 3 a selector follows. An UNSUBSCRIBE
 * removes the subscription and every message of its container that is live when it is replayed.
 *
 * A TX record is one record, so one CRC covers a whole transaction: after a crash it is entirely there or not at all.
 *
 * <p>A PREPARE holds a prepared XA branch: the branch's identity (the broker's encoding of the Xid, opaque here), its
 * sequence number (branches are listed in increasing sequence, which is prepare order even after compaction
 * rewrote a PREPARE later in the journal) and its work, laid out as in a TX. A COMMIT_PREPARED or ROLLBACK_PREPARED
 * completes the branch of that identity. A MOVE is an ADD rewritten by compaction: the message it names now lives
 * there. A MARK records a container's delivered mark (the last one of a container wins; compaction rewrites a live
 * one unchanged).
 */
final class RecordCodec {
    static final int MAX_QUEUE_NAME_BYTES = 0xFFFF;

    /** Receives the parts of a decoded payload, in journal order. */
    interface Visitor {
        /**
         * @param envelopeOffset where the envelope starts, counted from the start of the payload
         */
        void add(String queue, long id, int envelopeOffset, int envelopeLength);

        void remove(String queue, long id);

        void subscribe(StoredSubscription subscription);

        void unsubscribe(String container);

        /**
         * A prepared branch; the adds' envelope offsets count from the start of the payload.
         *
         * @param sequence the branch's place in prepare order
         */
        void prepare(byte[] xid, long sequence, List<AddAt> adds, List<StoreBatch.Remove> removes);

        void commitPrepared(byte[] xid);

        void rollbackPrepared(byte[] xid);

        /** A message rewritten by compaction: it now lives here. Offsets as for {@link #add}. */
        void move(String queue, long id, int envelopeOffset, int envelopeLength);

        /** A container's delivered mark: messages up to {@code id} may have been delivered. */
        void mark(String container, long id);
    }

    /** One add inside a payload: its queue, id and where its envelope is, counted from the payload's first byte. */
    record AddAt(String queue, long id, int envelopeOffset, int envelopeLength) {
    }

    /** A framed record and where in it the envelope of each add starts (from the record's first byte). */
    record Encoded(ByteBuffer bytes, int[] envelopeOffsets) {
    }

    private RecordCodec() {
    }

    static Encoded add(String queue, long id, byte[] envelope) {
        return single(RecordType.ADD, queue, id, envelope);
    }

    /** A MOVE: compaction rewriting a live message; laid out as an ADD. */
    static Encoded move(String queue, long id, byte[] envelope) {
        return single(RecordType.MOVE, queue, id, envelope);
    }

    private static Encoded single(RecordType type, String queue, long id, byte[] envelope) {
        byte[] name = queueName(queue);
        ByteBuffer payload = allocate(addLength(name, envelope));
        int envelopeOffset = putAdd(payload, name, id, envelope);
        return new Encoded(RecordDescriptor.seal(type, payload.flip()),
                new int[] {RecordDescriptor.HEADER_LENGTH + envelopeOffset});
    }

    /**
     * A PREPARE record; its encoded envelope offsets are those of {@code adds}, in order.
     *
     * @throws IllegalArgumentException when the identity is empty or longer than {@link #MAX_XID_LENGTH}, or the
     *                                  branch does not fit one record
     */
    static Encoded prepare(byte[] xid, long sequence, List<StoreBatch.Add> adds, List<StoreBatch.Remove> removes) {
        checkXid(xid);
        return batch(RecordType.PREPARE, 1 + xid.length + 8, adds, removes,
                payload -> payload.put((byte) xid.length).put(xid).putLong(sequence));
    }

    /** A COMMIT_PREPARED record. */
    static Encoded commitPrepared(byte[] xid) {
        return xidOnly(RecordType.COMMIT_PREPARED, xid);
    }

    /** A ROLLBACK_PREPARED record. */
    static Encoded rollbackPrepared(byte[] xid) {
        return xidOnly(RecordType.ROLLBACK_PREPARED, xid);
    }

    private static Encoded xidOnly(RecordType type, byte[] xid) {
        checkXid(xid);
        ByteBuffer payload = allocate(1 + xid.length);
        payload.put((byte) xid.length).put(xid);
        return new Encoded(RecordDescriptor.seal(type, payload.flip()), new int[0]);
    }

    /** The longest branch identity a record holds: the store SPI's limit. */
    static final int MAX_XID_LENGTH = io.tern.broker.store.Store.MAX_XID_LENGTH;

    private static void checkXid(byte[] xid) {
        if (xid.length == 0 || xid.length > MAX_XID_LENGTH) {
            throw new IllegalArgumentException("a transaction branch identity has 1 to " + MAX_XID_LENGTH
                    + " bytes, not " + xid.length);
        }
    }

    static Encoded remove(String queue, long id) {
        byte[] name = queueName(queue);
        ByteBuffer payload = allocate(removeLength(name));
        putRemove(payload, name, id);
        return new Encoded(RecordDescriptor.seal(RecordType.REMOVE, payload.flip()), new int[0]);
    }

    static Encoded subscribe(StoredSubscription s) {
        return new Encoded(RecordDescriptor.seal(RecordType.SUBSCRIBE, subscriptionPayload(s)), new int[0]);
    }

    /** The payload of a SUBSCRIBE record (a checkpoint stores subscriptions the same way), position 0. */
    static ByteBuffer subscriptionPayload(StoredSubscription s) {
        byte[] container = string(s.container(), "container");
        byte[] clientId = s.clientId() == null ? null : string(s.clientId(), "client id");
        byte[] name = string(s.name(), "subscription name");
        byte[] topic = string(s.topic(), "topic name");
        byte[] selector = s.selector() == null ? null : string(s.selector(), "selector");
        int flags = (s.noLocal() ? 1 : 0) | (s.shared() ? 2 : 0) | (clientId != null ? 4 : 0) | (selector != null ? 8 : 0);
        int length = 1 + 2 + container.length + (clientId == null ? 0 : 2 + clientId.length) + 2 + name.length + 2
                + topic.length + (selector == null ? 0 : 2 + selector.length);
        ByteBuffer payload = allocate(length);
        payload.put((byte) flags);
        putString(payload, container);
        if (clientId != null) {
            putString(payload, clientId);
        }
        putString(payload, name);
        putString(payload, topic);
        if (selector != null) {
            putString(payload, selector);
        }
        return payload.flip();
    }

    /** A MARK record: {@code container}'s delivered mark is {@code id}. */
    static Encoded mark(String container, long id) {
        byte[] name = string(container, "container");
        ByteBuffer payload = allocate(2 + name.length + 8);
        putString(payload, name);
        payload.putLong(id);
        return new Encoded(RecordDescriptor.seal(RecordType.MARK, payload.flip()), new int[0]);
    }

    static Encoded unsubscribe(String container) {
        byte[] name = string(container, "container");
        ByteBuffer payload = allocate(2 + name.length);
        putString(payload, name);
        return new Encoded(RecordDescriptor.seal(RecordType.UNSUBSCRIBE, payload.flip()), new int[0]);
    }

    private static void putString(ByteBuffer out, byte[] s) {
        out.putShort((short) s.length).put(s);
    }

    private static byte[] string(String value, String what) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_QUEUE_NAME_BYTES) {
            throw new IllegalArgumentException(what + " of " + bytes.length + " UTF-8 bytes is longer than "
                    + MAX_QUEUE_NAME_BYTES);
        }
        return bytes;
    }

    static Encoded tx(List<StoreBatch.Add> adds, List<StoreBatch.Remove> removes) {
        return batch(RecordType.TX, 0, adds, removes, payload -> { });
    }

    /** A record of {@code prefixLength} bytes written by {@code prefix}, then counts, adds and removes. */
    private static Encoded batch(RecordType type, int prefixLength, List<StoreBatch.Add> adds,
                                 List<StoreBatch.Remove> removes, java.util.function.Consumer<ByteBuffer> prefix) {
        byte[][] addNames = new byte[adds.size()][];
        byte[][] removeNames = new byte[removes.size()][];
        long length = prefixLength + 8L;
        for (int i = 0; i < adds.size(); i++) {
            addNames[i] = queueName(adds.get(i).queue());
            length += addLength(addNames[i], adds.get(i).message().envelope());
        }
        for (int i = 0; i < removes.size(); i++) {
            removeNames[i] = queueName(removes.get(i).queue());
            length += removeLength(removeNames[i]);
        }
        if (length > RecordDescriptor.MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("transaction of " + length + " bytes is larger than the largest record, "
                    + RecordDescriptor.MAX_PAYLOAD_LENGTH);
        }
        ByteBuffer payload = allocate((int) length);
        prefix.accept(payload);
        payload.putInt(adds.size()).putInt(removes.size());
        int[] offsets = new int[adds.size()];
        for (int i = 0; i < adds.size(); i++) {
            StoreBatch.Add add = adds.get(i);
            offsets[i] = RecordDescriptor.HEADER_LENGTH
                    + putAdd(payload, addNames[i], add.message().id(), add.message().envelope());
        }
        for (int i = 0; i < removes.size(); i++) {
            putRemove(payload, removeNames[i], removes.get(i).id());
        }
        return new Encoded(RecordDescriptor.seal(type, payload.flip()), offsets);
    }

    /**
     * Decodes {@code payload} (position 0 is the payload's first byte) and passes its parts to {@code visitor}.
     * Nothing is passed when the payload is malformed.
     *
     * @return null, or why the payload is malformed
     */
    static String decode(RecordType type, ByteBuffer payload, Visitor visitor) {
        ByteBuffer in = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int start = in.position();
        try {
            switch (type) {
                case ADD -> {
                    AddAt add = readAdd(in, start);
                    requireConsumed(in);
                    visitor.add(add.queue, add.id, add.envelopeOffset, add.envelopeLength);
                }
                case MOVE -> {
                    AddAt add = readAdd(in, start);
                    requireConsumed(in);
                    visitor.move(add.queue, add.id, add.envelopeOffset, add.envelopeLength);
                }
                case REMOVE -> {
                    String queue = readQueue(in);
                    long id = in.getLong();
                    requireConsumed(in);
                    visitor.remove(queue, id);
                }
                case TX -> {
                    Batch batch = readBatch(in, start);
                    for (AddAt add : batch.adds) {
                        visitor.add(add.queue, add.id, add.envelopeOffset, add.envelopeLength);
                    }
                    for (StoreBatch.Remove remove : batch.removes) {
                        visitor.remove(remove.queue(), remove.id());
                    }
                }
                case PREPARE -> {
                    byte[] xid = readXid(in);
                    long sequence = in.getLong();
                    Batch batch = readBatch(in, start);
                    visitor.prepare(xid, sequence, batch.adds, batch.removes);
                }
                case COMMIT_PREPARED -> {
                    byte[] xid = readXid(in);
                    requireConsumed(in);
                    visitor.commitPrepared(xid);
                }
                case ROLLBACK_PREPARED -> {
                    byte[] xid = readXid(in);
                    requireConsumed(in);
                    visitor.rollbackPrepared(xid);
                }
                case SUBSCRIBE -> visitor.subscribe(readSubscription(in));
                case MARK -> {
                    String container = readQueue(in);
                    long id = in.getLong();
                    requireConsumed(in);
                    visitor.mark(container, id);
                }
                case UNSUBSCRIBE -> {
                    String container = readQueue(in);
                    requireConsumed(in);
                    visitor.unsubscribe(container);
                }
                default -> throw new IllegalStateException("unhandled record type " + type);
            }
            return null;
        } catch (BufferUnderflowException e) {
            return type + " payload of " + payload.remaining() + " bytes ends inside a field";
        } catch (MalformedPayload e) {
            return type + " payload: " + e.getMessage();
        }
    }

    /**
     * Decodes a SUBSCRIBE payload alone (a checkpoint stores subscriptions this way).
     *
     * @return the subscription, or null when the payload is malformed ({@code why[0]} then says why)
     */
    static StoredSubscription decodeSubscription(ByteBuffer payload, String[] why) {
        ByteBuffer in = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        try {
            return readSubscription(in);
        } catch (BufferUnderflowException e) {
            why[0] = "SUBSCRIBE payload of " + payload.remaining() + " bytes ends inside a field";
        } catch (MalformedPayload e) {
            why[0] = "SUBSCRIBE payload: " + e.getMessage();
        }
        return null;
    }

    private static StoredSubscription readSubscription(ByteBuffer in) {
        int flags = Byte.toUnsignedInt(in.get());
        if ((flags & ~0x0F) != 0) {
            throw new MalformedPayload("unknown SUBSCRIBE flags 0x" + Integer.toHexString(flags));
        }
        String container = readQueue(in);
        String clientId = (flags & 4) != 0 ? readQueue(in) : null;
        String name = readQueue(in);
        String topic = readQueue(in);
        String selector = (flags & 8) != 0 ? readQueue(in) : null;
        requireConsumed(in);
        return new StoredSubscription(clientId, name, topic, selector, (flags & 1) != 0, (flags & 2) != 0,
                container);
    }

    private record Batch(List<AddAt> adds, List<StoreBatch.Remove> removes) {
    }

    /** Reads counts, adds and removes up to the payload's end; decodes all before anything is visited. */
    private static Batch readBatch(ByteBuffer in, int payloadStart) {
        int adds = in.getInt();
        int removes = in.getInt();
        if (adds < 0 || removes < 0) {
            throw new MalformedPayload("negative counts: " + adds + " adds, " + removes + " removes");
        }
        if (adds > in.remaining()) {
            throw new MalformedPayload(adds + " adds cannot fit in " + in.remaining() + " bytes");
        }
        List<AddAt> decodedAdds = new ArrayList<>(adds);
        for (int i = 0; i < adds; i++) {
            decodedAdds.add(readAdd(in, payloadStart));
        }
        if (removes > in.remaining()) {
            throw new MalformedPayload(removes + " removes cannot fit in " + in.remaining() + " bytes");
        }
        List<StoreBatch.Remove> decodedRemoves = new ArrayList<>(removes);
        for (int i = 0; i < removes; i++) {
            String queue = readQueue(in);
            decodedRemoves.add(new StoreBatch.Remove(queue, in.getLong()));
        }
        requireConsumed(in);
        return new Batch(decodedAdds, decodedRemoves);
    }

    private static byte[] readXid(ByteBuffer in) {
        int length = Byte.toUnsignedInt(in.get());
        if (length == 0 || length > MAX_XID_LENGTH) {
            throw new MalformedPayload("branch identity length " + length + " is outside 1.." + MAX_XID_LENGTH);
        }
        byte[] xid = new byte[length];
        in.get(xid);
        return xid;
    }

    private static AddAt readAdd(ByteBuffer in, int payloadStart) {
        String queue = readQueue(in);
        long id = in.getLong();
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new MalformedPayload("envelope length " + length + " of message " + id + " exceeds the "
                    + in.remaining() + " bytes left");
        }
        int offset = in.position() - payloadStart;
        in.position(in.position() + length);
        return new AddAt(queue, id, offset, length);
    }

    private static String readQueue(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new MalformedPayload("queue name length " + length + " exceeds the " + in.remaining()
                    + " bytes left");
        }
        byte[] name = new byte[length];
        in.get(name);
        return new String(name, StandardCharsets.UTF_8);
    }

    private static void requireConsumed(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw new MalformedPayload(in.remaining() + " unexpected bytes after the last field");
        }
    }

    private static int putAdd(ByteBuffer out, byte[] name, long id, byte[] envelope) {
        out.putShort((short) name.length).put(name).putLong(id).putInt(envelope.length);
        int envelopeOffset = out.position();
        out.put(envelope);
        return envelopeOffset;
    }

    private static void putRemove(ByteBuffer out, byte[] name, long id) {
        out.putShort((short) name.length).put(name).putLong(id);
    }

    private static int addLength(byte[] name, byte[] envelope) {
        long length = 2L + name.length + 8 + 4 + envelope.length;
        if (length > RecordDescriptor.MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("envelope of " + envelope.length + " bytes is larger than the largest "
                    + "record, " + RecordDescriptor.MAX_PAYLOAD_LENGTH);
        }
        return (int) length;
    }

    private static int removeLength(byte[] name) {
        return 2 + name.length + 8;
    }

    private static byte[] queueName(String queue) {
        byte[] name = queue.getBytes(StandardCharsets.UTF_8);
        if (name.length > MAX_QUEUE_NAME_BYTES) {
            throw new IllegalArgumentException("queue name of " + name.length + " UTF-8 bytes is longer than "
                    + MAX_QUEUE_NAME_BYTES + ": '" + queue.substring(0, 40) + "...'");
        }
        return name;
    }

    /** A payload buffer that {@link RecordDescriptor#seal} turns into its record without copying it. */
    private static ByteBuffer allocate(int length) {
        return RecordDescriptor.payloadBuffer(length);
    }

    private static final class MalformedPayload extends RuntimeException {
        MalformedPayload(String message) {
            super(message, null, false, false);
        }
    }
}

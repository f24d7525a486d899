package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.broker.store.StoreBatch;
import io.tern.broker.store.StoredMessage;
import io.tern.broker.store.StoredSubscription;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Round trips of the XA, compaction and delivered-mark records, and how a malformed one is reported. */
class RecordCodecTest {
    private static final byte[] XID = "xid-7".getBytes(StandardCharsets.UTF_8);

    /** Collects what a payload decodes to, as text. */
    private static final class Seen implements RecordCodec.Visitor {
        final List<String> parts = new ArrayList<>();

        @Override
        public void add(String queue, long id, int envelopeOffset, int envelopeLength) {
            parts.add("add " + queue + " " + id);
        }

        @Override
        public void remove(String queue, long id) {
            parts.add("remove " + queue + " " + id);
        }

        @Override
        public void subscribe(StoredSubscription subscription) {
            parts.add("subscribe " + subscription.container());
        }

        @Override
        public void unsubscribe(String container) {
            parts.add("unsubscribe " + container);
        }

        @Override
        public void prepare(byte[] xid, long sequence, List<RecordCodec.AddAt> adds, List<StoreBatch.Remove> removes) {
            parts.add("prepare " + new String(xid, StandardCharsets.UTF_8) + " #" + sequence + " " + adds.stream()
                    .map(a -> a.queue() + "/" + a.id() + "@" + a.envelopeOffset() + "+" + a.envelopeLength()).toList()
                    + " " + removes);
        }

        @Override
        public void commitPrepared(byte[] xid) {
            parts.add("commit " + new String(xid, StandardCharsets.UTF_8));
        }

        @Override
        public void rollbackPrepared(byte[] xid) {
            parts.add("rollback " + new String(xid, StandardCharsets.UTF_8));
        }

        @Override
        public void move(String queue, long id, int envelopeOffset, int envelopeLength) {
            parts.add("move " + queue + " " + id + "@" + envelopeOffset + "+" + envelopeLength);
        }

        @Override
        public void mark(String container, long id) {
            parts.add("mark " + container + " " + id);
        }
    }

    private static ByteBuffer payload(RecordCodec.Encoded encoded) {
        ByteBuffer record = encoded.bytes().duplicate();
        return record.position(RecordDescriptor.HEADER_LENGTH).slice();
    }

    private static RecordType type(RecordCodec.Encoded encoded) {
        return RecordDescriptor.type(encoded.bytes(), 0);
    }

    private static List<String> decode(RecordCodec.Encoded encoded) {
        Seen seen = new Seen();
        assertThat(RecordCodec.decode(type(encoded), payload(encoded), seen)).isNull();
        return seen.parts;
    }

    @Test
    void aPrepareCarriesIdentitySequenceAddsAndRemovesAndWhereEachEnvelopeIs() {
        byte[] envelope = "hello".getBytes(StandardCharsets.UTF_8);
        RecordCodec.Encoded prepare = RecordCodec.prepare(XID, 42, List.of(new StoreBatch.Add("q",
                new StoredMessage(3, envelope))), List.of(new StoreBatch.Remove("r", 9)));
        assertThat(type(prepare)).isEqualTo(RecordType.PREPARE);
        int offset = prepare.envelopeOffsets()[0];
        assertThat(Arrays.copyOfRange(prepare.bytes().array(), offset, offset + envelope.length)).isEqualTo(envelope);
        assertThat(decode(prepare)).containsExactly("prepare xid-7 #42 [q/3@" + (offset
                - RecordDescriptor.HEADER_LENGTH) + "+5] [Remove[queue=r, id=9]]");
    }

    @Test
    void completionsCarryTheIdentityAndAMoveIsLaidOutAsAnAdd() {
        assertThat(decode(RecordCodec.commitPrepared(XID))).containsExactly("commit xid-7");
        assertThat(decode(RecordCodec.rollbackPrepared(XID))).containsExactly("rollback xid-7");
        RecordCodec.Encoded move = RecordCodec.move("q", 5, new byte[7]);
        RecordCodec.Encoded add = RecordCodec.add("q", 5, new byte[7]);
        assertThat(type(move)).isEqualTo(RecordType.MOVE);
        assertThat(payload(move)).isEqualTo(payload(add));
        assertThat(decode(move)).containsExactly("move q 5@" + (move.envelopeOffsets()[0]
                - RecordDescriptor.HEADER_LENGTH) + "+7");
    }

    @Test
    void anIdentityOutsideTheLimitsIsRefusedWhenWrittenAndReportedWhenRead() {
        assertThatThrownBy(() -> RecordCodec.commitPrepared(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordCodec.prepare(new byte[141], 1, List.of(), List.of()))
                .hasMessageContaining("141");
        ByteBuffer zeroLength = ByteBuffer.wrap(new byte[] {0});
        Seen seen = new Seen();
        assertThat(RecordCodec.decode(RecordType.ROLLBACK_PREPARED, zeroLength, seen))
                .contains("branch identity length 0");
        assertThat(RecordCodec.decode(RecordType.COMMIT_PREPARED, ByteBuffer.wrap(new byte[] {5, 1, 2}), seen))
                .contains("ends inside a field");
        assertThat(seen.parts).isEmpty();
    }

    @Test
    void aMarkCarriesItsContainerAndIdAndAShortOneIsReported() {
        RecordCodec.Encoded mark = RecordCodec.mark("$subscription:7", Long.MIN_VALUE + 1);
        assertThat(type(mark)).isEqualTo(RecordType.MARK);
        assertThat(decode(mark)).containsExactly("mark $subscription:7 " + (Long.MIN_VALUE + 1));
        ByteBuffer cut = payload(mark);
        cut.limit(cut.limit() - 1);
        Seen seen = new Seen();
        assertThat(RecordCodec.decode(RecordType.MARK, cut, seen)).contains("ends inside a field");
        assertThat(seen.parts).isEmpty();
    }

    @Test
    void aRecordSealedInPlaceIsByteForByteTheRecordFrameWouldCopy() {
        byte[] envelope = "hello".getBytes(StandardCharsets.UTF_8);
        List<RecordCodec.Encoded> records = List.of(RecordCodec.add("q", 5, envelope),
                RecordCodec.move("q", 6, envelope), RecordCodec.remove("q", 5),
                RecordCodec.tx(List.of(new StoreBatch.Add("q", new StoredMessage(7, envelope))),
                        List.of(new StoreBatch.Remove("q", 6))),
                RecordCodec.prepare(XID, 42, List.of(), List.of(new StoreBatch.Remove("q", 7))),
                RecordCodec.commitPrepared(XID), RecordCodec.mark("q", 7), RecordCodec.unsubscribe("q"));
        for (RecordCodec.Encoded record : records) {
            ByteBuffer sealed = record.bytes();
            RecordType type = type(record);
            ByteBuffer framed = RecordDescriptor.frame(type, payload(record));
            assertThat(sealed.position()).isZero();
            assertThat(sealed.remaining()).isEqualTo(sealed.capacity());
            assertThat(sealed).as(type.name()).isEqualTo(framed);
            assertThat(sealed.getInt(RecordDescriptor.CRC_OFFSET)).isEqualTo(RecordDescriptor.crc(sealed, 0));
        }
        // A payload that is not the tail of a record buffer (a slice of a larger array) is copied, as frame does.
        ByteBuffer elsewhere = ByteBuffer.wrap(new byte[] {9, 9, 1, 2, 3}, 2, 3).slice();
        assertThat(RecordDescriptor.seal(RecordType.REMOVE, elsewhere.duplicate()))
                .isEqualTo(RecordDescriptor.frame(RecordType.REMOVE, elsewhere.duplicate()));
    }
}

package io.tern.jms.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {

    static Stream<Frame> everyFrameType() {
        byte[] envelope = MessageEnvelope.encode(new MessageHeader(MessageEnvelope.BODY_TEXT, true, 7, 1L, 2L, 3L,
                "ID:1", WireDestination.queue("orders"), null, "corr", "type"), Map.of("k", 1), new byte[] {1, 'x'});
        return Stream.of(
                new Frame.Hello(1, 1, "client", "user", "secret", 1 << 20, 10_000),
                new Frame.Hello(2, 1, null, null, null, 4096, 0),
                new Frame.HelloOk(1, 1, "broker", "0.1", "c-1", 1 << 20, 5000),
                new Frame.Ok(9),
                new Frame.Error(3, ErrorCode.INVALID_DESTINATION, "queue 'x' does not exist"),
                new Frame.Error(0, ErrorCode.PROTOCOL, null),
                Frame.Heartbeat.INSTANCE,
                new Frame.Close(4),
                new Frame.SetClientId(5, "cid"),
                new Frame.SessionOpen(6, 42, SessionMode.CLIENT_ACKNOWLEDGE),
                new Frame.SessionClose(7, 42, new long[] {1, 2, 3}),
                new Frame.ConsumerOpen(8, 99L, 42, WireDestination.topic("news"), "a > 1",
                        Frame.ConsumerOpen.NO_LOCAL | Frame.ConsumerOpen.DURABLE, "sub", 1000),
                new Frame.ConsumerOpen(8, 99L, 42, new WireDestination(DestinationKind.TEMPORARY_QUEUE, "t"), null,
                        0, null, 1),
                new Frame.ConsumerOpen(8, 98L, 42, WireDestination.queue("orders"), null, Frame.ConsumerOpen.BROWSER,
                        null, 10),
                new Frame.ConsumerClose(10, 99L, new long[0]),
                new Frame.Unsubscribe(17, "sub"),
                new Frame.BrowseEnd(98L),
                new Frame.Credit(99L, 500),
                new Frame.TempCreate(15, new WireDestination(DestinationKind.TEMPORARY_QUEUE, "tq")),
                new Frame.TempDelete(16, new WireDestination(DestinationKind.TEMPORARY_TOPIC, "tt")),
                new Frame.Send(11, 42, envelope),
                new Frame.Deliver(99L, 1234L, 2, envelope),
                new Frame.Ack(12, 42, AckKind.REDELIVER, new long[] {Long.MAX_VALUE, 0}),
                new Frame.TxCommit(13, 42),
                new Frame.TxRollback(14, 42),
                new Frame.XaStart(20, 42, XID, 0),
                new Frame.XaStart(20, 42, XID, 0, 300),
                new Frame.XaStart(20, 42, new WireXid(-1, new byte[0], new byte[0]), 0x00200000),
                new Frame.XaEnd(21, 42, XID, 0x04000000),
                new Frame.XaPrepare(22, XID),
                new Frame.XaCommit(23, XID, true),
                new Frame.XaCommit(23, XID, false),
                new Frame.XaRollback(24, XID),
                new Frame.XaRecover(25),
                new Frame.XaForget(26, XID),
                new Frame.XaResult(27, XaCode.XA_OK, null),
                new Frame.XaResult(27, XaCode.XAER_NOTA, "no branch 1:00:01"),
                new Frame.XaRecoverOk(28, List.of()),
                new Frame.XaRecoverOk(28, List.of(XID, new WireXid(7, new byte[64], new byte[64]))));
    }

    private static final WireXid XID = new WireXid(0x1234, new byte[] {1, 2, 3}, new byte[] {9});

    @Test
    void aSendOrADeliveryIsEncodedIntoABufferOfExactlyItsSize() {
        for (int size : new int[] {0, 1, 200, 1024, 40_000}) {
            List<Frame> frames = List.of(new Frame.Send(7, 3, new byte[size]),
                    new Frame.Deliver(5L, 9L, 2, new byte[size]));
            for (Frame frame : frames) {
                EmbeddedChannel channel = new EmbeddedChannel(FrameEncoder.INSTANCE);
                assertThat(channel.writeOutbound(frame)).isTrue();
                ByteBuf out = channel.readOutbound();
                try {
                    assertThat(out.readableBytes()).as("%s of %d bytes", frame.type(), size)
                            .isEqualTo(FrameCodec.sizeHint(frame));
                    assertThat(out.capacity()).as("not grown while encoding").isEqualTo(FrameCodec.sizeHint(frame));
                } finally {
                    out.release();
                    channel.finishAndReleaseAll();
                }
            }
        }
    }

    @Test
    void anXidOfTheStoreIsItsWireForm() {
        WireXid big = new WireXid(-5, new byte[64], new byte[64]);
        assertThat(big.toBytes()).hasSize(WireXid.MAX_ENCODED_LENGTH);
        assertThat(WireXid.MAX_ENCODED_LENGTH).isLessThanOrEqualTo(140);
        assertThat(WireXid.fromBytes(XID.toBytes())).isEqualTo(XID);
        assertThat(XID.toBytes()).containsExactly(0, 0, 0x12, 0x34, 3, 1, 2, 3, 1, 9);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WireXid(1, new byte[65], new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65");
    }

    @Test
    void anXidPartLongerThan64BytesIsAFailureNamingIt() {
        // XA_PREPARE, formatId 1, gtrid length 65
        ByteBuf b = bytes(0, 0, 0, 10, 0x42, 0, 0, 0, 1, 0, 0, 0, 1, 65);
        b.writeZero(65 + 1);
        b.setInt(0, b.readableBytes() - 4);
        assertThat(((DecodeFailure) decodeOne(b)).reason()).contains("XA_PREPARE.xid.gtrid").contains("65");
    }

    @Test
    void aTruncatedXidIsAFailureNamingIt() {
        // XA_ROLLBACK, formatId 1, gtrid claims 5 bytes but carries 1
        Object r = decodeOne(bytes(0, 0, 0, 11, 0x44, 0, 0, 0, 1, 0, 0, 0, 1, 5, 7));
        assertThat(((DecodeFailure) r).reason()).contains("XA_ROLLBACK.xid.gtrid").contains("length 5");
    }

    @Test
    void anXaStartWithoutTimeoutIsTheFrameOfEarlierVersions() {
        // XA_START, corr 1, session 2, xid 1:07:08, TMNOFLAGS: no trailing timeout field, so the broker's default
        Object r = decodeOne(bytes(0, 0, 0, 21, 0x40, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 1, 7, 1, 8, 0, 0, 0, 0));
        assertThat(r).isEqualTo(new Frame.XaStart(1, 2, new WireXid(1, new byte[] {7}, new byte[] {8}), 0, 0));
        Object zero = decodeOne(bytes(0, 0, 0, 25, 0x40, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 1, 7, 1, 8, 0, 0, 0, 0,
                0, 0, 0, 0));
        assertThat(((DecodeFailure) zero).reason()).contains("XA_START.timeoutSeconds").contains("0");
    }

    @Test
    void aOnePhaseFlagOtherThan0Or1IsAFailure() {
        Object r = decodeOne(bytes(0, 0, 0, 14, 0x43, 0, 0, 0, 1, 0, 0, 0, 1, 1, 7, 1, 8, 2));
        assertThat(((DecodeFailure) r).reason()).contains("XA_COMMIT.onePhase").contains("2");
    }

    @Test
    void anXidCountLargerThanTheFrameIsAFailure() {
        Object r = decodeOne(bytes(0, 0, 0, 13, 0x48, 0, 0, 0, 1, 0x7f, 0, 0, 0, 0, 0, 0, 0));
        assertThat(((DecodeFailure) r).reason()).contains("XA_RECOVER_OK.xids");
    }

    @ParameterizedTest
    @MethodSource("everyFrameType")
    void everyFrameSurvivesARoundTripThroughTheNettyCodec(Frame frame) {
        EmbeddedChannel out = new EmbeddedChannel(FrameEncoder.INSTANCE);
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(FrameDescriptor.DEFAULT_MAX_FRAME_SIZE));
        out.writeOutbound(frame);
        ByteBuf bytes = out.readOutbound();
        assertThat(bytes.getUnsignedInt(0)).isEqualTo(bytes.readableBytes() - 4L);
        assertThat(bytes.getUnsignedByte(4)).isEqualTo((short) frame.type().code());
        in.writeInbound(bytes);
        Object decoded = in.readInbound();
        assertThat(decoded).isEqualTo(frame);
        assertThat(in.finish()).isFalse();
        assertThat(out.finish()).isFalse();
    }

    @Test
    void framesSplitAtEveryByteBoundaryAreReassembled() {
        List<Frame> frames = everyFrameType().toList();
        ByteBuf all = Unpooled.buffer();
        for (Frame f : frames) {
            FrameCodec.encode(f, all);
        }
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(FrameDescriptor.DEFAULT_MAX_FRAME_SIZE));
        while (all.isReadable()) {
            in.writeInbound(all.readRetainedSlice(Math.min(3, all.readableBytes())));
        }
        all.release();
        for (Frame f : frames) {
            assertThat((Object) in.readInbound()).isEqualTo(f);
        }
        assertThat((Object) in.readInbound()).isNull();
        in.finish();
    }

    @Test
    void framesCutIntoReadsOfAnySizeAreReassembled() {
        List<Frame> frames = new java.util.ArrayList<>(everyFrameType().toList());
        frames.add(new Frame.Deliver(7L, 8L, 1, filled(40_000)));
        frames.add(new Frame.Send(9, 42, filled(1_100)));
        ByteBuf all = Unpooled.buffer();
        for (Frame f : frames) {
            FrameCodec.encode(f, all);
        }
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 60; round++) {
            int most = round < 40 ? round + 1 : 1 + random.nextInt(70_000);
            EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(FrameDescriptor.DEFAULT_MAX_FRAME_SIZE));
            ByteBuf stream = all.duplicate();
            while (stream.isReadable()) {
                in.writeInbound(stream.readRetainedSlice(Math.min(1 + random.nextInt(most), stream.readableBytes())));
            }
            for (Frame f : frames) {
                assertThat((Object) in.readInbound()).as("reads of at most %d bytes", most).isEqualTo(f);
            }
            assertThat((Object) in.readInbound()).isNull();
            assertThat(in.finish()).isFalse();
        }
        assertThat(all.release()).as("every read released by the decoder").isTrue();
    }

    @Test
    void aReadThatEndsInsideAFrameIsReleasedAtOnce() {
        Frame.Deliver first = new Frame.Deliver(1L, 2L, 1, filled(1_000));
        Frame.Ok second = new Frame.Ok(3);
        ByteBuf all = Unpooled.buffer();
        FrameCodec.encode(first, all);
        FrameCodec.encode(second, all);
        int secondStart = all.readableBytes() - 9;
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(FrameDescriptor.DEFAULT_MAX_FRAME_SIZE));
        // a read ending inside the first frame's body, one ending inside the second's length field, then the rest
        List<ByteBuf> reads = List.of(all.copy(0, 500), all.copy(500, secondStart + 2 - 500),
                all.copy(secondStart + 2, all.readableBytes() - secondStart - 2));
        all.release();
        for (ByteBuf read : reads) {
            in.writeInbound(read);
            assertThat(read.refCnt()).as("the read buffer's references after decoding").isZero();
        }
        assertThat((Object) in.readInbound()).isEqualTo(first);
        assertThat((Object) in.readInbound()).isEqualTo(second);
        assertThat(in.finish()).isFalse();
    }

    @Test
    void aFrameCutOffByTheEndOfTheConnectionLeavesNoBufferBehind() {
        List<ByteBuf> made = new java.util.ArrayList<>();
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(FrameDescriptor.DEFAULT_MAX_FRAME_SIZE));
        in.config().setAllocator(new io.netty.buffer.AbstractByteBufAllocator() {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf b = Unpooled.buffer(initialCapacity, maxCapacity);
                made.add(b);
                return b;
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf b = Unpooled.directBuffer(initialCapacity, maxCapacity);
                made.add(b);
                return b;
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        });
        ByteBuf all = Unpooled.buffer();
        FrameCodec.encode(new Frame.Deliver(1L, 2L, 1, filled(3_000)), all);
        in.writeInbound(all.readRetainedSlice(2_000));
        all.release();
        assertThat((Object) in.readInbound()).isNull();
        assertThat(made).as("the pending frame's buffer").hasSize(1);
        assertThat(made.get(0).refCnt()).isEqualTo(1);
        assertThat(in.finish()).isFalse();
        assertThat(made.get(0).refCnt()).as("after the connection ended").isZero();
    }

    @Test
    void aFrameOverTheLimitIsAFailureAndEverythingAfterItIsDiscarded() {
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(1024));
        ByteBuf buf = Unpooled.buffer();
        buf.writeInt(1025);
        buf.writeZero(2000);
        in.writeInbound(buf);
        DecodeFailure failure = in.readInbound();
        assertThat(failure.reason()).contains("1025").contains("maximum frame size 1024");
        ByteBuf valid = Unpooled.buffer();
        FrameCodec.encode(new Frame.Ok(1), valid);
        in.writeInbound(valid);
        assertThat((Object) in.readInbound()).isNull();
        in.finish();
    }

    @Test
    void aLengthShorterThanTheHeaderIsAFailure() {
        assertThat(decodeOne(bytes(0, 0, 0, 4, 3, 0, 0, 0))).isInstanceOf(DecodeFailure.class)
                .extracting(o -> ((DecodeFailure) o).reason()).asString().contains("shorter than");
    }

    @Test
    void anUnknownTypeIsAFailureNamingIt() {
        Object r = decodeOne(bytes(0, 0, 0, 5, 0x7f, 0, 0, 0, 1));
        assertThat(((DecodeFailure) r).reason()).isEqualTo("unknown frame type 0x7f");
    }

    @Test
    void aTruncatedFieldIsAFailureNamingTheField() {
        // SET_CLIENT_ID whose string claims 100 bytes but carries 2
        Object r = decodeOne(bytes(0, 0, 0, 11, 0x07, 0, 0, 0, 1, 0, 0, 0, 100, 'a', 'b'));
        assertThat(((DecodeFailure) r).reason()).contains("SET_CLIENT_ID.clientId").contains("length 100");
    }

    @Test
    void trailingBytesAreAFailure() {
        Object r = decodeOne(bytes(0, 0, 0, 6, 0x03, 0, 0, 0, 1, 9));
        assertThat(((DecodeFailure) r).reason()).contains("OK frame has 1 unexpected trailing bytes");
    }

    @Test
    void anUnknownEnumCodeIsAFailure() {
        Object r = decodeOne(bytes(0, 0, 0, 10, 0x10, 0, 0, 0, 1, 0, 0, 0, 1, 9));
        assertThat(((DecodeFailure) r).reason()).contains("session mode: unknown code 9");
    }

    @Test
    void randomBytesNeverThrowOutOfTheDecoder() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            if (b.length >= 4 && random.nextBoolean()) {
                // a plausible small length so the payload parser is reached
                int len = Math.max(0, b.length - 4);
                b[0] = 0;
                b[1] = 0;
                b[2] = (byte) (len >> 8);
                b[3] = (byte) len;
            }
            EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(1024));
            in.writeInbound(Unpooled.wrappedBuffer(b));
            Object o;
            while ((o = in.readInbound()) != null) {
                assertThat(o).isInstanceOfAny(Frame.class, DecodeFailure.class);
            }
            in.finishAndReleaseAll();
        }
    }

    private static byte[] filled(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static Object decodeOne(ByteBuf buf) {
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(1024));
        in.writeInbound(buf);
        Object o = in.readInbound();
        in.finishAndReleaseAll();
        return o;
    }

    private static ByteBuf bytes(int... values) {
        ByteBuf b = Unpooled.buffer(values.length);
        for (int v : values) {
            b.writeByte(v);
        }
        return b;
    }
}

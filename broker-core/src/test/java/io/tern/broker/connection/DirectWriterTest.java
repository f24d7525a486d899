package io.tern.broker.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.unix.UnixChannel;
import io.tern.jms.provider.SocketTransport;
import io.tern.jms.provider.StraightWrite;
import io.tern.jms.wire.Frame;
import io.tern.jms.wire.FrameDecoder;
import io.tern.jms.wire.FrameEncoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker's {@link DirectWriter} on a real native-epoll socket pair: the accepted side is the broker's (a writer
 * first in its pipeline, the encoder after it, half-closure allowed, as the server sets it up); the connecting side
 * decodes what arrives. A frame goes straight to the socket only while nothing is waiting to be written, and never
 * overtakes or splits a frame written before it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectWriterTest {
    private static final int BIG = 16 * 1024 * 1024; // far more than a loopback socket's buffers hold

    private EventLoopGroup group;
    private Channel server;
    private final CompletableFuture<Channel> accepted = new CompletableFuture<>();
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private Channel peer;
    private Channel broker;
    private DirectWriter writer;

    @BeforeEach
    void connect() throws Exception {
        assumeTrue(UnixChannel.class.isAssignableFrom(SocketTransport.get().socketChannel()),
                "native epoll is not available here");
        group = new MultiThreadIoEventLoopGroup(2, SocketTransport.get().ioHandlerFactory());
        server = new ServerBootstrap().group(group).channel(SocketTransport.get().serverSocketChannel())
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        DirectWriter w = new DirectWriter(ch);
                        ch.pipeline().addLast("direct", w).addLast("encoder", FrameEncoder.INSTANCE);
                        accepted.complete(ch);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        peer = new Bootstrap().group(group).channel(SocketTransport.get().socketChannel())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FrameDecoder(2 * BIG))
                                .addLast(new SimpleChannelInboundHandler<>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                        received.add(msg);
                                    }
                                });
                    }
                })
                .connect(server.localAddress()).sync().channel();
        broker = accepted.get(10, TimeUnit.SECONDS);
        writer = broker.pipeline().get(DirectWriter.class);
    }

    @AfterEach
    void close() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aFrameGoesStraightToTheSocketWhenNothingWaits() throws Exception {
        assertThat(writer.enabled()).isTrue();
        assertThat(writer.write(new Frame.Ok(7), broker.newPromise())).as("written straight").isTrue();
        assertThat(writer.takeWrote()).as("counted as traffic for the heartbeat").isTrue();
        assertThat(writer.takeWrote()).isFalse();
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Frame.Ok(7));
    }

    @Test
    void framesWaitBehindAPartialWriteAndBehindWhatTheLoopHolds() throws Exception {
        peer.config().setAutoRead(false); // the peer reads nothing: the socket's buffers fill
        byte[] big = new byte[BIG];
        Arrays.fill(big, (byte) 42);
        ChannelPromise bigWritten = broker.newPromise();
        assertThat(writer.write(new Frame.Send(1, 1, big), bigWritten)).as("the big frame fits no socket").isFalse();
        ChannelPromise smallWritten = broker.newPromise();
        pastDenseGap();
        CompletableFuture<Boolean> fromAnotherThread = CompletableFuture.supplyAsync(
                () -> writer.write(new Frame.Ok(2), smallWritten));
        assertThat(fromAnotherThread.get(10, TimeUnit.SECONDS)).as("behind the rest of the big frame").isFalse();
        ChannelPromise loopWritten = broker.newPromise();
        writer.execute(() -> broker.writeAndFlush(new Frame.Ok(3), loopWritten));
        pastDenseGap();
        assertThat(writer.write(new Frame.Ok(4), broker.newPromise())).as("behind the loop's writes").isFalse();
        assertThat(bigWritten.isDone()).isFalse();

        peer.config().setAutoRead(true);
        Object first = received.poll(20, TimeUnit.SECONDS);
        assertThat(first).isInstanceOf(Frame.Send.class);
        assertThat(((Frame.Send) first).envelope()).as("the big frame, whole").isEqualTo(big);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Frame.Ok(2));
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Frame.Ok(3));
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Frame.Ok(4));
        assertThat(bigWritten.await(10, TimeUnit.SECONDS) && bigWritten.isSuccess()).isTrue();
        assertThat(smallWritten.await(10, TimeUnit.SECONDS) && smallWritten.isSuccess()).isTrue();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> broker.unsafe().outboundBuffer().totalPendingWriteBytes() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.write(new Frame.Ok(5), broker.newPromise()));
        assertThat(received.poll(10, TimeUnit.SECONDS)).as("straight again once all is written")
                .isEqualTo(new Frame.Ok(5));
    }

    /**
     * Waits until a frame written now no longer counts as close behind the previous one, so that only the rules under
     * test keep it from going straight to the socket.
     */
    private static void pastDenseGap() {
        long until = System.nanoTime() + 2 * StraightWrite.DENSE_NANOS;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @Test
    void tryWriteWritesStraightOnlyWhenNothingWaitsAndOtherwiseDoesNothing() throws Exception {
        assertThat(writer.tryWrite(new Frame.Ok(1))).as("idle: straight").isTrue();
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Frame.Ok(1));
        pastDenseGap();
        CountDownLatch release = new CountDownLatch(1);
        writer.execute(() -> awaitQuietly(release)); // a counted task holds the loop
        assertThat(writer.tryWrite(new Frame.Ok(2))).as("a task is counted: left to the caller").isFalse();
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            pastDenseGap();
            return writer.tryWrite(new Frame.Ok(3));
        });
        assertThat(received.poll(10, TimeUnit.SECONDS)).as("2 was never written").isEqualTo(new Frame.Ok(3));
    }

    @Test
    void tryWriteLetsTheSecondOfTwoCloseFramesGoStraightButNotTheThird() throws Exception {
        // a second writer on the same socket whose frames all count as close behind each other
        DirectWriter paced = new DirectWriter(broker, TimeUnit.SECONDS.toNanos(30));
        assertThat(paced.write(new Frame.Ok(1), broker.newPromise())).as("the first frame: straight").isTrue();
        assertThat(paced.tryWrite(new Frame.Ok(2))).as("a delivery right behind a send's answer: straight")
                .isTrue();
        assertThat(paced.tryWrite(new Frame.Ok(3))).as("the third in a run: left to the caller's outbox").isFalse();
        ChannelPromise answer = broker.newPromise();
        assertThat(paced.write(new Frame.Ok(4), answer)).as("an answer close behind: through the loop").isFalse();
        assertThat(answer.await(10, TimeUnit.SECONDS) && answer.isSuccess()).isTrue();
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Frame.Ok(1));
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Frame.Ok(2));
        assertThat(received.poll(10, TimeUnit.SECONDS)).as("3 was never written").isEqualTo(new Frame.Ok(4));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aFrameCloseBehindThePreviousOneGoesThroughTheLoop() throws Exception {
        // a second writer on the same socket whose frames all count as close behind each other, so that a
        // descheduled test thread cannot make the second frame sparse
        DirectWriter paced = new DirectWriter(broker, TimeUnit.SECONDS.toNanos(30));
        assertThat(paced.write(new Frame.Ok(1), broker.newPromise())).isTrue();
        ChannelPromise second = broker.newPromise();
        assertThat(paced.write(new Frame.Ok(2), second)).as("close behind the first: through the loop").isFalse();
        assertThat(second.await(10, TimeUnit.SECONDS) && second.isSuccess()).isTrue();
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Frame.Ok(1));
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Frame.Ok(2));
    }

    @Test
    void nothingGoesStraightToTheSocketOnceItIsClosed() throws Exception {
        broker.close().sync();
        assertThat(writer.enabled()).isFalse();
        ChannelPromise promise = broker.newPromise();
        assertThat(writer.write(new Frame.Ok(1), promise)).isFalse();
        assertThat(promise.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(promise.isSuccess()).isFalse();
    }

    @Test
    void thePeersCloseStopsDirectWritesAndClosesTheSocket() throws Exception {
        peer.close().sync();
        assertThat(broker.closeFuture().await(10, TimeUnit.SECONDS)).as("closed after the input-shutdown event")
                .isTrue();
        assertThat(writer.enabled()).isFalse();
    }
}

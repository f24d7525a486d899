package io.tern.broker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** A connection's tasks run one at a time and in order, whether on the pool or on the caller's thread. */
class SerialExecutorTest {
    /** A pool that runs nothing until the test says so. */
    private final Queue<Runnable> pool = new ArrayDeque<>();
    private final Executor held = pool::add;
    private final SerialExecutor executor = new SerialExecutor(held);
    private final List<String> ran = new ArrayList<>();

    private void runPool() {
        Runnable r;
        while ((r = pool.poll()) != null) {
            r.run();
        }
    }

    @Test
    void anIdleExecutorLetsTheCallerRunTheTaskAtOnce() {
        assertThat(executor.runIfIdle(() -> ran.add("a"))).isTrue();
        assertThat(ran).containsExactly("a");
        assertThat(pool).isEmpty();
    }

    @Test
    void aTaskIsNotRunByTheCallerWhileAnEarlierOneIsQueued() {
        executor.execute(() -> ran.add("queued"));
        assertThat(executor.runIfIdle(() -> ran.add("inline"))).isFalse();
        assertThat(ran).isEmpty();
        runPool();
        assertThat(ran).containsExactly("queued");
        assertThat(executor.runIfIdle(() -> ran.add("inline"))).isTrue();
        assertThat(ran).containsExactly("queued", "inline");
    }

    @Test
    void aTaskIsNotRunByTheCallerWhileAnotherIsRunning() {
        boolean[] refused = new boolean[1];
        executor.execute(() -> refused[0] = !executor.runIfIdle(() -> ran.add("nested")));
        runPool();
        assertThat(refused[0]).isTrue();
        assertThat(ran).isEmpty();
    }

    @Test
    void tasksQueuedWhileTheCallerRunsOneRunAfterItOnThePool() {
        assertThat(executor.runIfIdle(() -> {
            ran.add("inline");
            executor.execute(() -> ran.add("later"));
            assertThat(ran).containsExactly("inline");
        })).isTrue();
        assertThat(pool).hasSize(1);
        runPool();
        assertThat(ran).containsExactly("inline", "later");
    }

    @Test
    void aFailingInlineTaskLeavesTheExecutorUsable() {
        assertThat(executor.runIfIdle(() -> {
            throw new IllegalStateException("task failed (test)");
        })).isTrue();
        executor.execute(() -> ran.add("next"));
        runPool();
        assertThat(ran).containsExactly("next");
    }
}

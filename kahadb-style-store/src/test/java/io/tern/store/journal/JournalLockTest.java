package io.tern.store.journal;

import static io.tern.store.journal.JournalTesting.await;
import static io.tern.store.journal.JournalTesting.ids;
import static io.tern.store.journal.JournalTesting.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One store per data directory, in this JVM and across processes. */
@Timeout(30)
class JournalLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondStoreInTheSameJvmIsRefusedNamingTheDirectoryAndHolder() {
        try (JournalStore first = JournalStore.open(dir, JournalOptions.defaults())) {
            await(first.add("q", message(1, 10)));
            assertThatThrownBy(() -> JournalStore.open(dir, JournalOptions.defaults()))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("process " + ProcessHandle.current().pid() + "@");
            // The refused store did not disturb the first one.
            await(first.add("q", message(2, 10)));
        }
        try (JournalStore again = JournalStore.open(dir, JournalOptions.defaults())) {
            assertThat(ids(again, "q")).containsExactly(1L, 2L);
        }
    }

    @Test
    void aStoreInAnotherProcessIsRefusedNamingThatProcess() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process holder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).isEqualTo("locked " + holder.pid());
            assertThatThrownBy(() -> JournalStore.open(dir, JournalOptions.defaults()))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("process " + holder.pid() + "@");
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        try (JournalStore store = JournalStore.open(dir, JournalOptions.defaults())) {
            assertThat(store.queueNames()).isEmpty();
        }
    }
}

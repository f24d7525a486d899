package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.broker.store.Store;
import io.tern.broker.store.StoredMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Small helpers for journal tests. */
final class JournalTesting {
    private JournalTesting() {
    }

    /** A message whose envelope is {@code size} bytes, starting with its id so every body differs. */
    static StoredMessage message(long id, int size) {
        byte[] prefix = ("message " + id + " ").getBytes(StandardCharsets.UTF_8);
        byte[] envelope = Arrays.copyOf(prefix, Math.max(size, prefix.length));
        for (int i = prefix.length; i < envelope.length; i++) {
            envelope[i] = (byte) ('a' + (id + i) % 26);
        }
        return new StoredMessage(id, envelope);
    }

    /**
     * Deletes the checkpoints of a closed journal, so that the next open replays every data file (as after a crash
     * before the first checkpoint).
     */
    static void deleteCheckpoints(Path dir) {
        try {
            for (Path checkpoint : CheckpointDescriptor.list(dir)) {
                Files.delete(checkpoint);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void await(CompletableFuture<Void> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("store write failed", e);
        }
    }

    static List<Long> ids(Store store, String queue) {
        List<Long> ids = new ArrayList<>();
        store.recover(queue, m -> ids.add(m.id()));
        return ids;
    }

    /** Every message of {@code queue} has the body {@link #message} gives its id. */
    static void assertBodies(Store store, String queue, int size) {
        store.recover(queue, m -> assertThat(m.envelope()).as("body of %d", m.id())
                .isEqualTo(message(m.id(), size).envelope()));
    }

    /**
     * Flips one bit 5 bytes after the first occurrence of {@code marker} in {@code dir}'s first data file: a record
     * that rots on disk after it was written.
     */
    static void flipByteAfter(Path dir, String marker) throws IOException {
        Path file = dir.resolve("db-1.log");
        byte[] bytes = Files.readAllBytes(file);
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + needle.length < bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                bytes[i + needle.length + 5] ^= 0x40;
                Files.write(file, bytes);
                return;
            }
        }
        throw new AssertionError(marker + " not found in " + file);
    }
}

package io.tern.store.journal;

import java.io.IOException;
import java.nio.file.Path;

/** A second process for {@link JournalLockTest}: opens a store on args[0], says "locked", holds it until stdin ends. */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws IOException {
        try (JournalStore store = JournalStore.open(Path.of(args[0]), JournalOptions.defaults())) {
            System.out.println("locked " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the test closes our stdin
            }
        }
    }
}

package io.tern.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** The rule that decides when a data file may go, with and without checkpoints. */
class FileCollectorTest {
    private static final IntPredicate DB1_ON_DISK = f -> f == 1;
    private static final int CURRENT = 9;

    @Test
    void withoutCheckpointsAFileGoesOnlyAfterTheFilesItsRemovesCancel() {
        int[] fullReplay = {0};
        assertThat(FileCollector.deletable(2, CURRENT, 0, Set.of(), DB1_ON_DISK, fullReplay)).isTrue();
        assertThat(FileCollector.deletable(2, CURRENT, 0, Set.of(1), DB1_ON_DISK, fullReplay)).isFalse();
        assertThat(FileCollector.deletable(3, CURRENT, 0, Set.of(2), DB1_ON_DISK, fullReplay)).isTrue();
        assertThat(FileCollector.deletable(2, CURRENT, 1, Set.of(), DB1_ON_DISK, fullReplay)).as("a live add")
                .isFalse();
        assertThat(FileCollector.deletable(CURRENT, CURRENT, 0, Set.of(), DB1_ON_DISK, fullReplay)).isFalse();
    }

    @Test
    void aFileEveryStartPointComesAfterGoesWhateverItsRemovesCancel() {
        assertThat(FileCollector.deletable(2, CURRENT, 0, Set.of(1), DB1_ON_DISK, new int[] {3, 5})).isTrue();
        assertThat(FileCollector.deletable(2, CURRENT, 1, Set.of(1), DB1_ON_DISK, new int[] {3, 5})).isFalse();
        assertThat(FileCollector.deletable(2, CURRENT, 0, Set.of(1), DB1_ON_DISK, new int[] {0, 5}))
                .as("one checkpoint only: a full replay must still work").isFalse();
        assertThat(FileCollector.deletable(3, CURRENT, 0, Set.of(1), DB1_ON_DISK, new int[] {3, 5}))
                .as("the file of a checkpoint's position is not covered by it").isFalse();
    }

    @Test
    void aFileAfterACheckpointNeedsTheAddsItCancelsGoneAndAfterThatCheckpoint() {
        IntPredicate nothingOnDisk = f -> false;
        // db-4's removes cancel adds of db-2 (gone): the checkpoint at db-3 may hold those adds in its index
        assertThat(FileCollector.deletable(4, CURRENT, 0, Set.of(2), nothingOnDisk, new int[] {3, 3})).isFalse();
        assertThat(FileCollector.deletable(4, CURRENT, 0, Set.of(3), nothingOnDisk, new int[] {3, 3})).isFalse();
        assertThat(FileCollector.deletable(5, CURRENT, 0, Set.of(4), nothingOnDisk, new int[] {3, 3})).isTrue();
        // between the two kept checkpoints: only the older one matters
        assertThat(FileCollector.deletable(4, CURRENT, 0, Set.of(3), nothingOnDisk, new int[] {2, 6})).isTrue();
        assertThat(FileCollector.deletable(4, CURRENT, 0, Set.of(2), nothingOnDisk, new int[] {2, 6})).isFalse();
    }
}

package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineInfoTest {

    @Test
    void theReportNamesTheCommitItMeasured() {
        assertThat(MachineInfo.describe("stamp", MachineInfo.tree(Path.of("."))))
                .containsPattern("Source tree: (commit [0-9a-f]+, (no uncommitted changes|with uncommitted changes in "
                        + ".+)|unknown \\(no git\\))\\.");
    }

    @Test
    void outsideARepositoryTheTreeIsUnknown(@TempDir Path dir) {
        assertThat(MachineInfo.tree(dir)).isEqualTo("unknown (no git)");
    }
}

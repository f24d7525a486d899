package io.tern.bench.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where a run's results go: {@code BASE/<yyyy-MM-dd>/}, or {@code BASE/<yyyy-MM-dd-HHmm>/} when a run of the same
 * day is there already (then {@code -HHmmss}), so that no run overwrites another.
 */
final class ResultsDir {
    private static final DateTimeFormatter[] NAMES = {DateTimeFormatter.ofPattern("yyyy-MM-dd"),
        DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"), DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss")};

    private ResultsDir() {
    }

    /** Creates and returns the first of the names for {@code now} that does not exist yet under {@code base}. */
    static Path create(Path base, LocalDateTime now) throws IOException {
        Files.createDirectories(base);
        for (DateTimeFormatter name : NAMES) {
            Path dir = base.resolve(now.format(name));
            if (!Files.exists(dir)) {
                return Files.createDirectory(dir);
            }
        }
        throw new IOException("every results directory for " + now + " exists already under " + base);
    }
}

package io.tern.bench.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** The lines at the top of a report that say where and when it was measured, and what was measured. */
final class MachineInfo {
    private MachineInfo() {
    }

    /** {@code tree} is what {@link #tree} said of the source tree when the run began. */
    static String describe(String stamp, String tree) {
        return String.format(Locale.ROOT, "Run %s on %d CPU(s), %s, Java %s (%s), %s %s. Load average at the end "
                + "of the run: %s.%nSource tree: %s.%n", stamp, Runtime.getRuntime().availableProcessors(),
                cpuModel(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                System.getProperty("os.name"), System.getProperty("os.arch"), loadAverage(), tree);
    }

    /** The commit, and the top-level directories with uncommitted changes: a report of a dirty tree says so. */
    static String tree(Path root) {
        List<String> head = git(root, "rev-parse", "--short", "HEAD");
        if (head.isEmpty()) {
            return "unknown (no git)";
        }
        TreeSet<String> dirty = new TreeSet<>();
        for (String line : git(root, "status", "--porcelain", "--untracked-files=no")) {
            // "XY path" or "XY old -> new"; the path is relative to the repository's top.
            String path = line.length() > 3 ? line.substring(3) : line;
            int slash = path.indexOf('/');
            dirty.add(slash > 0 ? path.substring(0, slash) : path);
        }
        return "commit " + head.get(0) + (dirty.isEmpty() ? ", no uncommitted changes"
                : ", with uncommitted changes in " + String.join(", ", dirty));
    }

    private static List<String> git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process git = new ProcessBuilder(command).redirectErrorStream(false).start();
            List<String> lines = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .toList();
            if (!git.waitFor(10, TimeUnit.SECONDS) || git.exitValue() != 0) {
                return List.of();
            }
            return lines;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2] + " (1 / 5 / 15 min)";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}

package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.bench.driver.Figures;
import io.tern.bench.driver.HostCpu;
import io.tern.bench.driver.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final PhysicalLimits LIMITS = new PhysicalLimits(List.of(new DiskProbe.Limits(5000, 100_000, 7000,
            20_000)),
            new LoopbackProbe.Limit(200_000));

    private static Sample window(int round, String provider, long messages, long p99Micros, double others) {
        return window("persistent-1x1", round, provider, messages, p99Micros, others);
    }

    private static Sample window(String scenario, int round, String provider, long messages, long p99Micros,
                                 double others) {
        return Sample.measured(scenario, round, provider, new Result(scenario, provider, messages,
                1.0, p99Micros / 2, p99Micros, p99Micros, p99Micros, new HostCpu.Usage(1.0, 0.5, 0.5, others)));
    }

    @Test
    void ternIsComparedWithTheFasterPeerForThroughputAndTheLowerPeerForLatency() {
        RunOptions options = RunOptions.parse("-root", ".", "-rounds", "2", "-scenarios", "persistent-1x1",
                "-providers", "tern,classic,artemis-tuned");
        List<Sample> samples = List.of(
                window(1, "tern", 3000, 2000, 0), window(1, "classic", 1500, 4000, 0),
                window(1, "artemis-tuned", 1000, 1000, 0),
                window(2, "tern", 2000, 2000, 0), window(2, "classic", 1000, 4000, 0),
                window(2, "artemis-tuned", 1200, 1000, 0));

        String md = new Report(options, samples, "header\n", LIMITS).markdown();

        // Classic is the faster peer (median 1,250 against 1,100); Tern is 2× it in both rounds, and 3× and 1.67×
        // Artemis tuned. Artemis tuned has the lower p99: Tern's is 2× it, and half Classic's.
        assertThat(md).contains("| persistent-1x1 | msg/s ↑ | 2,500 | classic | 1,250 | **2.00×** | 2.00× | 2.33× |")
                .contains("| persistent-1x1 | p99 ms ↓ | 2.00 | artemis-tuned | 1.00 | **2.00×** | 0.50× | 2.00× |")
                .contains("reached 50% of the disk's fsync-per-record limit")
                .contains("- persistent-1x1: 2× the best peer (classic, 1,250 msg/s) is 2,500 msg/s. On this disk, "
                        + "with no network, client or broker in the way, one writer forcing each 1 KiB record into a "
                        + "zero-filled file reached 7,000/s: the target is 36% of that, and Tern reached 36%.")
                .contains("- Loopback: 200,000 frames of 1 KiB per second (195 MiB/s)")
                .contains("![Tern ÷ best peer](chart.png)");
    }

    @Test
    void theSynchronousScenariosTargetsAreSetBesideWhatTheDiskAllowsInTheSameRun() {
        RunOptions options = RunOptions.parse("-root", ".", "-rounds", "1", "-scenarios",
                "persistent-4x4,request-reply", "-providers", "tern,classic");
        List<Sample> samples = List.of(window("persistent-4x4", 1, "tern", 9_000, 700, 0),
                window("persistent-4x4", 1, "classic", 6_000, 600, 0),
                window("request-reply", 1, "tern", 3_000, 600, 0),
                window("request-reply", 1, "classic", 1_500, 900, 0));

        String md = new Report(options, samples, "header\n", LIMITS).markdown();

        // 4× Classic's 6,000 is 24,000 against 20,000 for four writers sharing forces: beyond the disk. A round trip
        // holds two forces, so the disk allows half of 7,000.
        assertThat(md).contains("- persistent-4x4: 4× the best peer (classic, 6,000 msg/s) is 24,000 msg/s. On this "
                        + "disk, with no network, client or broker in the way, 4 writers sharing forces (each force "
                        + "takes what they wrote; each writer waits for its own record's) reached 20,000/s: the "
                        + "target is 120% of that, and Tern reached 45%.")
                .contains("- request-reply: 2× the best peer (classic, 1,500 round trips/s) is 3,000 round trips/s. "
                        + "On this disk, with no network, client or broker in the way, two forces in sequence a round "
                        + "trip allow 3,500/s (half the zero-filled file's forced writes): the target is 86% of "
                        + "that, and Tern reached 86%.")
                .doesNotContain("- persistent-1x1: 2×");
    }

    @Test
    void aRatioWhoseWindowsMetADiskOfAnotherSpeedIsMarkedAndEveryWindowShowsItsDisk() {
        RunOptions options = RunOptions.parse("-root", ".", "-rounds", "2", "-scenarios",
                "persistent-1x1,request-reply", "-providers", "tern,classic");
        List<Sample> samples = List.of(
                window(1, "tern", 3000, 2000, 0).withFigure(Sample.DISK_FORCES, 9_000),
                window(1, "classic", 1500, 4000, 0).withFigure(Sample.DISK_FORCES, 8_000),
                window(2, "tern", 3000, 2000, 0).withFigure(Sample.DISK_FORCES, 9_000),
                window(2, "classic", 1500, 4000, 0).withFigure(Sample.DISK_FORCES, 4_500),
                window("request-reply", 1, "tern", 3_000, 600, 0).withFigure(Sample.DISK_FORCES, 7_000),
                window("request-reply", 1, "classic", 1_500, 900, 0).withFigure(Sample.DISK_FORCES, 7_500),
                window("request-reply", 2, "tern", 3_000, 600, 0).withFigure(Sample.DISK_FORCES, 6_000),
                window("request-reply", 2, "classic", 1_500, 900, 0).withFigure(Sample.DISK_FORCES, 7_400));

        String md = new Report(options, samples, "header\n", LIMITS).markdown();

        // round 2 of persistent-1x1 met a disk twice as fast for Tern; request-reply's rounds stayed within 1.25×
        assertThat(md).contains("| persistent-1x1 | msg/s ↑ | 3,000 | classic | 1,500 | **2.00×** (disk moved) |")
                .contains("| persistent-1x1 | p99 ms ↓ | 2.00 | classic | 4.00 | **0.50×** (disk moved) |")
                .contains("| request-reply | round trips/s ↑ | 3,000 | classic | 1,500 | **2.00×** |")
                .contains("| persistent-1x1 | 2 | classic | 1,500 | 4.00 | 1.00 | 0.50 | 0.50 | 0.00 | 4,500 |  |")
                .contains("| persistent-1x1 | 2 | tern | 3,000 | 2.00 | 1.00 | 0.50 | 0.50 | 0.00 | 9,000 |  |")
                .contains("(disk moved): in some round the disk forced more than 1.25 times");
    }

    @Test
    void failedWindowsAndNoisyWindowsAreShown() {
        RunOptions options = RunOptions.parse("-root", ".", "-scenarios", "persistent-1x1",
                "-providers", "tern,classic");
        List<Sample> samples = List.of(window(1, "tern", 3000, 2000, 0.9),
                Sample.failed("persistent-1x1", 1, "classic", "the broker did not become ready"));

        String md = new Report(options, samples, "header\n", LIMITS).markdown();

        assertThat(md).contains("| persistent-1x1 | classic | – msg/s | – | – | – | 0 (1 failed) |")
                .contains("failed: the broker did not become ready").contains("| 0.90 | – | noisy |")
                .contains("1 of 1 windows were")
                .contains("| persistent-1x1 | msg/s ↑ | 3,000 | – | – | **–** (noisy) |")
                .contains("–: no ratio, because a side was not measured");
    }

    @Test
    void backlogRecoveryAndFootprintFiguresHaveTheirOwnTablesAndLowerIsBetterWhereItShouldBe() {
        RunOptions options = RunOptions.parse("-root", ".", "-scenarios", "backlog,recovery,footprint",
                "-providers", "tern,classic,artemis");
        List<Sample> samples = List.of(
                Sample.figures("backlog", 1, "tern", Map.of(Figures.FILL_RATE, 30_000.0, Figures.DRAIN_RATE,
                        20_000.0, Figures.PEAK_RSS_MIB, 300.0)),
                Sample.figures("backlog", 1, "classic", Map.of(Figures.FILL_RATE, 10_000.0, Figures.DRAIN_RATE,
                        40_000.0, Figures.PEAK_RSS_MIB, 800.0)),
                Sample.figures("backlog", 1, "artemis", Map.of(Figures.FILL_RATE, 15_000.0, Figures.DRAIN_RATE,
                        10_000.0, Figures.PEAK_RSS_MIB, 600.0)),
                Sample.figures("recovery", 1, "tern", Map.of(Figures.RECOVERY_MS, 2_000.0)),
                Sample.figures("recovery", 1, "classic", Map.of(Figures.RECOVERY_MS, 8_000.0)),
                Sample.figures("recovery", 1, "artemis", Map.of(Figures.RECOVERY_MS, 4_000.0)),
                Sample.figures("footprint", 1, "tern", Map.of(Figures.START_MS, 500.0, Figures.KIB_PER_CONNECTION,
                        12.5)),
                Sample.failed("footprint", 1, "classic", "too many open files"),
                Sample.figures("footprint", 1, "artemis", Map.of(Figures.START_MS, 1_000.0,
                        Figures.KIB_PER_CONNECTION, 50.0)));

        String md = new Report(options, samples, "header\n", LIMITS).markdown();

        assertThat(md).contains("| backlog | fill msg/s ↑ | 30,000 | artemis | 15,000 | **2.00×** | 3.00× | 2.00× |")
                .contains("| backlog | drain msg/s ↑ | 20,000 | classic | 40,000 | **0.50×** | 0.50× | 2.00× |")
                .contains("| backlog | peak RSS MiB ↓ | 300 | artemis | 600 | **0.50×** | 0.38× | 0.50× |")
                .contains("| recovery | ready after kill -9, ms ↓ | 2,000 | artemis | 4,000 | **0.50×** | 0.25× "
                        + "| 0.50× |")
                .contains("| footprint | KiB per idle connection ↓ | 12.5 | artemis | 50.0 | **0.25×** | – | 0.25× |")
                .contains("## backlog: medians over rounds")
                .contains("| tern | – | 30,000 | – | 20,000 | 300 | 1 |")
                .contains("| classic | – | – | – | – | – | – | – | 0 (1 failed) |")
                .doesNotContain("## Timed windows");
    }
}

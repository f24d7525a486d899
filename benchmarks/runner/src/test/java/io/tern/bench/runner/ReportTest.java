package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.bench.driver.HostCpu;
import io.tern.bench.driver.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private final RunOptions options = RunOptions.parse("-root", ".", "-rounds", "2", "-scenarios",
            "persistent-1x1", "-providers", "tern,classic,artemis-tuned");

    private static final List<DiskProbe.Limits> DISK = List.of(new DiskProbe.Limits(5000, 100_000));

    private static Sample sample(int round, String provider, long messages, long p99Micros, double others) {
        return Sample.measured("persistent-1x1", round, provider, new Result("persistent-1x1", provider, messages,
                1.0, p99Micros / 2, p99Micros, p99Micros, p99Micros, new HostCpu.Usage(1.0, 0.5, 0.5, others)));
    }

    @Test
    void tern_isComparedWithTheFasterPeerForThroughputAndTheLowerPeerForLatency() {
        List<Sample> samples = List.of(
                sample(1, "tern", 3000, 2000, 0), sample(1, "classic", 1500, 4000, 0),
                sample(1, "artemis-tuned", 1000, 1000, 0),
                sample(2, "tern", 2000, 2000, 0), sample(2, "classic", 1000, 4000, 0),
                sample(2, "artemis-tuned", 1200, 1000, 0));

        String md = new Report(options, samples, "header\n", DISK).markdown();

        // Classic is the faster peer (median 1,250 vs 1,100); Tern is 2× it in both rounds.
        assertThat(md).contains("| persistent-1x1 | 2,500 | classic | 1,250 | 2.00× | 2.00 | artemis-tuned | 1.00 "
                + "| 2.00× |").contains("| persistent-1x1 | 2.00× | 2.33× |").contains("reached 50% of the disk's fsync-per-record limit");
    }

    @Test
    void failedWindowsAndNoisyWindowsAreShown() {
        List<Sample> samples = List.of(sample(1, "tern", 3000, 2000, 0.9),
                Sample.failed("persistent-1x1", 1, "classic", "the broker did not become ready"));

        String md = new Report(options, samples, "header\n", DISK).markdown();

        assertThat(md).contains("| persistent-1x1 | classic | – | – | – | – | 0 (1 failed) |")
                .contains("failed: the broker did not become ready").contains("| 0.90 | noisy |");
    }
}

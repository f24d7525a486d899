package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.bench.driver.Figures;
import io.tern.bench.driver.HostCpu;
import io.tern.bench.driver.Result;
import io.tern.bench.runner.Targets.Line;
import io.tern.bench.runner.Targets.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsTest {
    /** Appends with a force each 5,000/s; 7,000/s into a zero-filled file; four writers sharing forces 20,000/s. */
    private static final PhysicalLimits LIMITS = new PhysicalLimits(List.of(new DiskProbe.Limits(5000, 100_000, 7000,
            20_000)), new LoopbackProbe.Limit(200_000));

    private static Sample window(String scenario, int round, String provider, long messages, long p99Micros) {
        return Sample.measured(scenario, round, provider, new Result(scenario, provider, messages, 1.0,
                p99Micros / 2, p99Micros, p99Micros, p99Micros, new HostCpu.Usage(1.0, 0.5, 0.5, 0)));
    }

    private static List<Line> lines(List<Sample> samples, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-root";
        all[1] = ".";
        System.arraycopy(args, 0, all, 2, args.length);
        RunOptions options = RunOptions.parse(all);
        return new Targets(options, new Report(options, samples, "header\n", LIMITS).comparisons(), LIMITS).lines();
    }

    /** The one line of a one-round run of {@code scenario}, Tern against Classic, with {@code more} options. */
    private static Line againstClassic(String scenario, long tern, long classic, String... more) {
        List<Sample> samples = List.of(window(scenario, 1, "tern", tern, 200), window(scenario, 1, "classic", classic,
                400));
        List<String> args = new ArrayList<>(List.of("-rounds", "1", "-scenarios", scenario, "-providers",
                "tern,classic"));
        args.addAll(List.of(more));
        return lines(samples, args.toArray(String[]::new)).get(0);
    }

    @Test
    void w1SingleNeedsBothTwiceTheFasterPeerAndSixtyPercentOfTheFsyncLimit() {
        List<Sample> samples = List.of(window("persistent-1x1", 1, "tern", 3000, 200),
                window("persistent-1x1", 1, "classic", 1500, 400),
                window("persistent-1x1", 2, "tern", 4000, 200),
                window("persistent-1x1", 2, "classic", 2000, 400));

        Line line = lines(samples, "-rounds", "2", "-scenarios", "persistent-1x1", "-providers", "tern,classic")
                .get(0);

        // 2.00× Classic in both rounds, but 3,500 msg/s is 70% of 5,000 forced appends a second: met only here
        assertThat(line.target()).isEqualTo("W1 1→1 (persistent-1x1)");
        assertThat(line.measured()).isEqualTo("2.00× classic; 70% of the fsync-per-record limit (5,000/s)");
        assertThat(line.verdict()).isEqualTo(Verdict.MET);

        Line slow = againstClassic("persistent-1x1", 2500, 1000);
        assertThat(slow.measured()).isEqualTo("2.50× classic; 50% of the fsync-per-record limit (5,000/s)");
        assertThat(slow.verdict()).isEqualTo(Verdict.NOT_MET);
    }

    @Test
    void aRatioJustUnderItsThresholdIsNotMetAndIsShownWithThreeDecimals() {
        Line line = againstClassic("persistent-1x1", 3992, 2000);

        assertThat(line.measured()).startsWith("1.996× classic; 80% of");
        assertThat(line.verdict()).isEqualTo(Verdict.NOT_MET);
        assertThat(Targets.shown(2.004, 2)).isEqualTo("2.004×");
        assertThat(Targets.shown(2.0, 2)).isEqualTo("2.00×");
        assertThat(Targets.shown(1.5, 2)).isEqualTo("1.50×");
    }

    @Test
    void w1FourSaysWhenFourTimesTheFasterPeerIsBeyondWhatTheDiskAllowed() {
        Line line = againstClassic("persistent-4x4", 9_000, 6_000);

        assertThat(line.measured()).isEqualTo("1.50× classic; beyond the disk: 4× classic is 120% of what 4 writers "
                + "sharing forces got from it (20,000/s)");
        assertThat(line.verdict()).isEqualTo(Verdict.NOT_MET);
    }

    @Test
    void w2ToW4NeedAP99NoWorseThanEitherArtemisRun() {
        List<Sample> samples = List.of(window("transacted-100", 1, "tern", 60_000, 10_000),
                window("transacted-100", 1, "classic", 10_000, 90_000),
                window("transacted-100", 1, "artemis", 20_000, 12_000),
                window("transacted-100", 1, "artemis-tuned", 30_000, 8_000),
                window("non-persistent-1x1", 1, "tern", 100_000, 1_000),
                window("non-persistent-1x1", 1, "classic", 40_000, 5_000),
                window("non-persistent-1x1", 1, "artemis", 50_000, 1_000),
                window("non-persistent-1x1", 1, "artemis-tuned", 50_000, 2_000));

        List<Line> lines = lines(samples, "-rounds", "1", "-scenarios", "transacted-100,non-persistent-1x1");

        // W2: twice Artemis tuned's rate, but a p99 1.25× its; W3: a p99 equal to Artemis default's is no worse
        assertThat(lines.get(0).target()).isEqualTo("W2 (transacted-100)");
        assertThat(lines.get(0).measured()).isEqualTo("2.00× artemis-tuned; p99 0.83× artemis's; p99 1.25× "
                + "artemis-tuned's");
        assertThat(lines.get(0).verdict()).isEqualTo(Verdict.NOT_MET);
        assertThat(lines.get(1).target()).isEqualTo("W3 (non-persistent-1x1)");
        assertThat(lines.get(1).measured()).isEqualTo("2.00× artemis; p99 1.00× artemis's; p99 0.50× "
                + "artemis-tuned's");
        assertThat(lines.get(1).verdict()).isEqualTo(Verdict.MET);

        Line withoutArtemis = againstClassic("topic-1x8", 300_000, 100_000);
        assertThat(withoutArtemis.measured()).isEqualTo("3.00× classic; p99 not compared: no Artemis run");
        assertThat(withoutArtemis.verdict()).isEqualTo(Verdict.NOT_JUDGED);
    }

    @Test
    void w5ComparesTheP99WithTheFasterPeersNotTheLowest() {
        List<Sample> samples = List.of(window("request-reply", 1, "tern", 3_000, 600),
                window("request-reply", 1, "classic", 1_400, 500),
                window("request-reply", 1, "artemis-tuned", 700, 300));

        Line line = lines(samples, "-rounds", "1", "-scenarios", "request-reply", "-providers",
                "tern,classic,artemis-tuned").get(0);

        assertThat(line.measured()).isEqualTo("2.14× classic; p99 1.20× classic's");
        assertThat(line.verdict()).isEqualTo(Verdict.NOT_MET);
    }

    @Test
    void backlogRecoveryAndFootprintAreJudgedOnTheirOwnFigures() {
        List<Sample> samples = List.of(
                Sample.figures("backlog", 1, "tern", Map.of(Figures.FILL_RATE, 30_000.0, Figures.DRAIN_RATE,
                        45_000.0, Figures.PEAK_RSS_MIB, 300.0)),
                Sample.figures("backlog", 1, "classic", Map.of(Figures.FILL_RATE, 10_000.0, Figures.DRAIN_RATE,
                        30_000.0, Figures.PEAK_RSS_MIB, 800.0)),
                Sample.figures("backlog", 1, "artemis", Map.of(Figures.FILL_RATE, 15_000.0, Figures.DRAIN_RATE,
                        10_000.0, Figures.PEAK_RSS_MIB, 600.0)),
                Sample.figures("recovery", 1, "tern", Map.of(Figures.RECOVERY_MS, 1_250.0)),
                Sample.figures("recovery", 1, "classic", Map.of(Figures.RECOVERY_MS, 8_000.0)),
                Sample.figures("footprint", 1, "tern", Map.of(Figures.START_MS, 500.0, Figures.KIB_PER_CONNECTION,
                        21.0)),
                Sample.figures("footprint", 1, "classic", Map.of(Figures.START_MS, 2_000.0,
                        Figures.KIB_PER_CONNECTION, 50.0)));

        List<Line> lines = lines(samples, "-rounds", "1", "-scenarios", "backlog,recovery,footprint", "-providers",
                "tern,classic,artemis");

        assertThat(lines.get(0).measured()).isEqualTo("fill 2.00× artemis; drain 1.50× classic; peak RSS 0.50× "
                + "artemis");
        assertThat(lines.get(0).verdict()).isEqualTo(Verdict.MET);
        assertThat(lines.get(1).measured()).isEqualTo("1.25 s with 1,000,000 stored");
        assertThat(lines.get(1).verdict()).isEqualTo(Verdict.MET);
        assertThat(lines.get(2).measured()).isEqualTo("start 0.50 s; 21.0 KiB per idle connection (1,000 "
                + "connections)");
        assertThat(lines.get(2).verdict()).isEqualTo(Verdict.NOT_MET);

        Line small = lines(samples, "-rounds", "1", "-scenarios", "recovery", "-providers", "tern,classic",
                "-backlog", "10000").get(0);
        assertThat(small.measured()).isEqualTo("1.25 s with 10,000 stored: fewer than the target's");
        assertThat(small.verdict()).isEqualTo(Verdict.NOT_JUDGED);
        Line few = lines(samples, "-rounds", "1", "-scenarios", "footprint", "-providers", "tern,classic",
                "-connections", "250").get(0);
        assertThat(few.measured()).isEqualTo("start 0.50 s; 21.0 KiB per idle connection with 250: fewer than the "
                + "target's");
        assertThat(few.verdict()).isEqualTo(Verdict.NOT_JUDGED);
    }

    @Test
    void aPacedRunJudgesNoRateAndTheReportShowsEveryLine() {
        List<Sample> samples = List.of(window("persistent-1x1", 1, "tern", 3000, 200),
                window("persistent-1x1", 1, "classic", 1000, 400));

        Line paced = againstClassic("persistent-1x1", 3000, 1000, "-rate", "1000");
        assertThat(paced.target()).isEqualTo("W1 1→1 (persistent-1x1)");
        assertThat(paced.verdict()).isEqualTo(Verdict.NOT_JUDGED);
        assertThat(paced.measured()).startsWith("not judged: the run was paced");

        RunOptions options = RunOptions.parse("-root", ".", "-rounds", "1", "-scenarios", "persistent-1x1",
                "-providers", "tern,classic");
        String md = new Report(options, samples, "header\n", LIMITS).markdown();
        assertThat(md).contains("## The targets in this run")
                .contains("| W1 1→1 (persistent-1x1) | ≥ 2× the faster peer's msg/s and ≥ 60% of the "
                        + "fsync-per-record limit | 3.00× classic; 60% of the fsync-per-record limit (5,000/s) | "
                        + "**met** |")
                .doesNotContain("these verdicts say little");

        RunOptions quick = RunOptions.parse("-root", ".", "-quick", "-scenarios", "persistent-1x1", "-providers",
                "tern,classic");
        assertThat(new Report(quick, samples, "header\n", LIMITS).markdown()).contains("**This run's windows (0.5 s "
                + "warm-up, 1.0 s measured, one broker per provider for all its windows) are not the defaults' (15 s "
                + "and 10 s on a fresh broker each): the JIT's warm-up weighs on every figure, so these verdicts say "
                + "little.**");
    }
}

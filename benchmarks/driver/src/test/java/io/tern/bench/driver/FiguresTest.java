package io.tern.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void aFiguresLineParsesBackInOrderWithNaNForTheUnmeasured() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(Figures.FILL_RATE, 12_345.5);
        values.put(Figures.PEAK_RSS_MIB, Double.NaN);
        Figures figures = new Figures("backlog", "artemis-tuned", values);

        Figures parsed = Figures.parse(figures.toLine());

        assertThat(parsed.scenario()).isEqualTo("backlog");
        assertThat(parsed.provider()).isEqualTo("artemis-tuned");
        assertThat(parsed.values().keySet()).containsExactly(Figures.FILL_RATE, Figures.PEAK_RSS_MIB);
        assertThat(parsed.get(Figures.FILL_RATE)).isEqualTo(12_345.5);
        assertThat(parsed.get(Figures.PEAK_RSS_MIB)).isNaN();
        assertThat(parsed.get(Figures.DRAIN_RATE)).as("never measured").isNaN();
    }

    @Test
    void malformedLinesAreNamed() {
        assertThatThrownBy(() -> Figures.parse("BENCH-RESULT scenario=x")).hasMessageContaining("not a figures");
        assertThatThrownBy(() -> Figures.parse("BENCH-FIGURES scenario=x provider=y start_ms=soon"))
                .hasMessageContaining("start_ms='soon'");
        assertThatThrownBy(() -> Figures.parse("BENCH-FIGURES provider=y start_ms=1"))
                .hasMessageContaining("lacks scenario=");
    }

    @Test
    void aResultOffersItsRateAndPercentilesUnderTheSameKeys() {
        Result result = new Result("topic-1x8", "tern", 8_000, 2.0, 1_500, 9_000, 12_000, 20_000,
                HostCpu.Usage.UNKNOWN);

        assertThat(result.figures()).containsEntry(Figures.RATE, 4_000.0).containsEntry(Figures.P50_MS, 1.5)
                .containsEntry(Figures.P99_MS, 9.0).containsEntry(Figures.P999_MS, 12.0);
    }

    @Test
    void procStatusIsUnknownForAProcessThatDoesNotExist() {
        assertThat(ProcStatus.rssKib(0)).isEqualTo(-1);
        assertThat(ProcStatus.mib(-1)).isNaN();
        assertThat(ProcStatus.mib(2048)).isEqualTo(2.0);
    }
}

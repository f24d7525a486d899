package io.tern.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResultTest {

    @Test
    void aResultLineParsesBackToTheSameResult() {
        Result result = new Result("persistent-1x1", "tern", 12_345, 2.5, 800, 4_100, 9_000, 12_000,
                new HostCpu.Usage(1.25, 0.5, 0.75, 0.1));

        Result parsed = Result.parse(result.toLine());

        assertThat(parsed).isEqualTo(result);
        assertThat(parsed.rate()).isEqualTo(4_938.0);
    }

    @Test
    void unknownHostFiguresSurviveTheRoundTripAsNaN() {
        Result result = new Result("request-reply", "classic", 10, 1.0, 1, 2, 3, 4, HostCpu.Usage.UNKNOWN);

        assertThat(Result.parse(result.toLine()).host().otherCores()).isNaN();
    }

    @Test
    void aMissingFieldIsNamed() {
        assertThatThrownBy(() -> Result.parse("BENCH-RESULT scenario=x provider=y messages=1 seconds=1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks '");
    }

    @Test
    void aBadNumberIsNamed() {
        String line = new Result("s", "p", 1, 1, 1, 1, 1, 1, HostCpu.Usage.UNKNOWN).toLine()
                .replace("messages=1", "messages=lots");

        assertThatThrownBy(() -> Result.parse(line)).hasMessageContaining("messages='lots'");
    }

    @Test
    void otherLinesAreNotResults() {
        assertThatThrownBy(() -> Result.parse("BENCH-BROKER-READY port=1")).hasMessageContaining("not a result");
    }

    @Test
    void scenariosAreFoundByIdAndAnUnknownOneListsTheKnown() {
        assertThat(Scenario.byId("transacted-100").batch()).isEqualTo(100);
        assertThat(Scenario.byId("topic-1x8").kind()).isEqualTo(Scenario.Kind.TOPIC);
        assertThatThrownBy(() -> Scenario.byId("nope")).hasMessageContaining("persistent-1x1");
    }
}

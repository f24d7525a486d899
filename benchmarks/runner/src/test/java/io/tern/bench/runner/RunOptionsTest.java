package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tern.bench.driver.Scenario;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

    @Test
    void quickModeShrinksEverythingButOptionsGivenAsWellWin() {
        RunOptions quick = RunOptions.parse("-backlog", "2000", "-root", ".", "-quick");

        assertThat(quick.rounds()).isEqualTo(1);
        assertThat(quick.measureMillis()).isEqualTo(1_000);
        assertThat(quick.backlog()).isEqualTo(2_000);
        assertThat(quick.connections()).isEqualTo(250);
        assertThat(quick.brokers()).isEqualTo(RunOptions.Brokers.SHARED);
        assertThat(quick.scenarios()).containsExactly(Scenario.all());
    }

    @Test
    void theDefaultsAreTheIssuesSizes() {
        RunOptions defaults = RunOptions.parse("-root", ".");

        assertThat(defaults.backlog()).isEqualTo(1_000_000);
        assertThat(defaults.connections()).isEqualTo(1_000);
        assertThat(defaults.brokers()).isEqualTo(RunOptions.Brokers.FRESH);
        assertThat(defaults.results().getFileName()).hasToString("results");
    }

    @Test
    void aRateIsPassedToEveryWindowsDriverAndNoRateMeansAsFastAsPossible() {
        assertThat(RunOptions.parse("-root", ".").rate()).isZero();
        assertThat(RunOptions.parse("-root", ".", "-warmup", "2", "-measure", "3").windowArgs())
                .containsExactly("-warmup-ms", "2000", "-measure-ms", "3000");

        RunOptions paced = RunOptions.parse("-root", ".", "-rate", "20,000", "-warmup", "2", "-measure", "3");

        assertThat(paced.rate()).isEqualTo(20_000.0);
        assertThat(paced.windowArgs()).containsExactly("-warmup-ms", "2000", "-measure-ms", "3000", "-rate",
                "20000.0");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> RunOptions.parse("-root", ".", "-rate", "fast"))
                .hasMessageContaining("-rate needs a number of messages a second, not 'fast'");
        assertThatThrownBy(() -> RunOptions.parse("-root", ".", "-rate", "-5")).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> RunOptions.parse("-root", ".", "-backlog", "lots"))
                .hasMessageContaining("-backlog needs a whole number, not 'lots'");
        assertThatThrownBy(() -> RunOptions.parse("-root", ".", "-bogus")).hasMessageContaining("'-bogus'");
        assertThatThrownBy(() -> RunOptions.parse("-root", ".", "-scenarios", "w9"))
                .hasMessageContaining("unknown scenario 'w9'");
    }
}

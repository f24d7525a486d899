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
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> RunOptions.parse("-root", ".", "-backlog", "lots"))
                .hasMessageContaining("-backlog needs a whole number, not 'lots'");
        assertThatThrownBy(() -> RunOptions.parse("-root", ".", "-bogus")).hasMessageContaining("'-bogus'");
        assertThatThrownBy(() -> RunOptions.parse("-root", ".", "-scenarios", "w9"))
                .hasMessageContaining("unknown scenario 'w9'");
    }
}

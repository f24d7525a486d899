package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertThat(Stats.median(List.of(9.0, 1.0, 5.0)).getAsDouble()).isEqualTo(5.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 100.0)).getAsDouble()).isEqualTo(3.5);
    }

    @Test
    void medianIgnoresNaNAndIsEmptyWithoutValues() {
        assertThat(Stats.median(List.of(Double.NaN, 2.0)).getAsDouble()).isEqualTo(2.0);
        assertThat(Stats.median(List.of())).isEmpty();
    }

    @Test
    void ratiosAreTakenRoundByRoundThenTheMedian() {
        // Round 2 ran on a slower machine for both: pairing keeps its ratio at 2, as in the other rounds.
        List<Double> tern = List.of(2000.0, 1000.0, 2200.0);
        List<Double> peer = List.of(1000.0, 500.0, 1000.0);

        assertThat(Stats.pairedRatio(tern, peer).getAsDouble()).isEqualTo(2.0);
    }

    @Test
    void roundsMissingOnEitherSideOrWithAZeroPeerAreLeftOut() {
        List<Double> tern = Arrays.asList(3000.0, null, 1000.0, 500.0);
        List<Double> peer = Arrays.asList(1000.0, 1000.0, 0.0, null);

        assertThat(Stats.pairedRatio(tern, peer).getAsDouble()).isEqualTo(3.0);
        assertThat(Stats.pairedRatio(List.of(), List.of())).isEmpty();
    }
}

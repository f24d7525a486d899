package io.tern.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.bench.driver.Figures;
import io.tern.bench.driver.HostCpu;
import io.tern.bench.driver.Result;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {
    private final RunOptions options = RunOptions.parse("-root", ".", "-scenarios", "persistent-1x1,footprint",
            "-providers", "tern,classic");

    private static Sample window(String provider, long messages) {
        return Sample.measured("persistent-1x1", 1, provider, new Result("persistent-1x1", provider, messages, 1.0,
                1000, 2000, 3000, 4000, HostCpu.Usage.UNKNOWN));
    }

    private List<Comparison> comparisons(List<Sample> samples) {
        return new Report(options, samples, "", new PhysicalLimits(List.of(), null)).comparisons();
    }

    @Test
    void theChartIsAPngOfOneRowPerChartedMetric(@TempDir Path dir) throws Exception {
        // Tern is faster (green bar) but starts slower (red bar).
        List<Sample> samples = List.of(window("tern", 3000), window("classic", 1000),
                Sample.figures("footprint", 1, "tern", Map.of(Figures.START_MS, 900.0)),
                Sample.figures("footprint", 1, "classic", Map.of(Figures.START_MS, 300.0)));
        Path file = dir.resolve("chart.png");

        Chart.write(comparisons(samples), "test", file);

        assertThat(Files.size(file)).isPositive();
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isGreaterThan(500);
        // Charted: msg/s, start, idle RSS, KiB per connection (p99 is not).
        assertThat(image.getHeight()).isGreaterThan(4 * 28);
        assertThat(hasColour(image, 0x2e7d32)).as("a green bar").isTrue();
        assertThat(hasColour(image, 0xc62828)).as("a red bar").isTrue();
    }

    @Test
    void aChartWithNothingToCompareIsStillAnImage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("chart.png");

        Chart.write(comparisons(List.of(window("tern", 3000))), "tern alone", file);

        assertThat(ImageIO.read(file.toFile())).isNotNull();
        assertThat(hasColour(ImageIO.read(file.toFile()), 0x2e7d32)).isFalse();
    }

    private static boolean hasColour(BufferedImage image, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }
}

package io.tern.jms.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetector.Level;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeakDetectionTest {
    private Level before;

    @BeforeEach
    void remember() {
        before = ResourceLeakDetector.getLevel();
    }

    @AfterEach
    void restore() {
        ResourceLeakDetector.setLevel(before);
    }

    @Test
    void turnsTheDetectorOffWhenNoLevelIsNamed() {
        ResourceLeakDetector.setLevel(Level.SIMPLE);

        LeakDetection.offUnlessAsked(Map.<String, String>of()::get);

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(Level.DISABLED);
    }

    @Test
    void keepsTheLevelNamedUnderEitherSpelling() {
        for (String property : new String[] {LeakDetection.LEVEL, LeakDetection.LEVEL_OLD}) {
            ResourceLeakDetector.setLevel(Level.PARANOID);

            LeakDetection.offUnlessAsked(Map.of(property, "paranoid")::get);

            assertThat(ResourceLeakDetector.getLevel()).as(property).isEqualTo(Level.PARANOID);
        }
    }

    @Test
    void loadingTheClientLeavesTheLevelThisBuildNames() throws Exception {
        // The build runs every test with -Dio.netty.leakDetection.level=paranoid (the parent POM's surefire.argLine).
        assertThat(System.getProperty(LeakDetection.LEVEL)).isEqualTo("paranoid");
        Class.forName(NettyProvider.class.getName(), true, NettyProvider.class.getClassLoader());

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(Level.PARANOID);
    }
}

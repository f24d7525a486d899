package io.tern.jms.provider;

import io.netty.util.ResourceLeakDetector;
import java.util.function.UnaryOperator;

/**
 * Netty's buffer leak detection, which Tern turns off in the client and the broker unless the JVM was told a level.
 *
 * <p>At Netty's default level ({@code simple}) one buffer allocation in 128 is tracked: each tracked allocation fills
 * in a stack trace and registers a phantom reference, and its buffer is wrapped. On a two-core machine that was
 * 0.5-1.6% of the broker's and of a busy client's CPU (async-profiler, transacted batches of 100 and synchronous
 * persistent sends), for a report that only a bug in Tern's own buffer handling could trigger. Artemis turns it off
 * the same way in its acceptor and connector. Giving {@code -Dio.netty.leakDetection.level} (or Netty's older
 * spelling {@code io.netty.leakDetectionLevel}) keeps whatever level is given: Tern's own tests run at
 * {@code paranoid}.
 *
 * <p>The level is Netty's, for the whole JVM: an application that uses Netty for other work and wants the detector
 * on names a level.
 */
public final class LeakDetection {
    /** Netty's system property for the level. */
    public static final String LEVEL = "io.netty.leakDetection.level";
    /** Netty's older spelling of {@link #LEVEL}, which it still reads. */
    public static final String LEVEL_OLD = "io.netty.leakDetectionLevel";

    private LeakDetection() {
    }

    /** Turns Netty's leak detection off unless this JVM's system properties name a level. */
    public static void offUnlessAsked() {
        offUnlessAsked(System::getProperty);
    }

    /** As {@link #offUnlessAsked()}, reading the properties from {@code properties}. */
    static void offUnlessAsked(UnaryOperator<String> properties) {
        if (properties.apply(LEVEL) == null && properties.apply(LEVEL_OLD) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}

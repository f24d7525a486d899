package io.tern.conformance.joram;

import java.lang.annotation.Annotation;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import junit.framework.TestCase;
import junit.framework.TestSuite;
import org.junit.Ignore;
import org.junit.internal.runners.model.EachTestNotifier;
import org.junit.runner.Description;
import org.junit.runner.Runner;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunListener;
import org.junit.runner.notification.RunNotifier;
import org.junit.runners.ParentRunner;
import org.junit.runners.Suite;
import org.junit.runners.model.InitializationError;
import org.objectweb.jtests.jms.framework.JMSTestCase;
import org.objectweb.jtests.jms.framework.PTPTestCase;

/**
 * Runs the JUnit 3 test classes named by {@code @SuiteClasses}, one child runner per class, and reports each test
 * listed in {@link KnownFailures} as skipped with its reason, unless the system property {@code conformance.all} is
 * true (profile {@code conformance-all}): then every test runs, and a known failure that passes is pointed out so it
 * can be taken off the list.
 */
public final class KnownFailuresSuite extends Suite {
    static final String RUN_ALL_PROPERTY = "conformance.all";

    public KnownFailuresSuite(Class<?> suiteClass) throws InitializationError {
        super(suiteClass, classRunners(suiteClass));
    }

    /**
     * Runs the classes, then prints one count of the whole suite. Surefire's own closing count names each test after
     * the suite class and merges same-named methods of different JORAM classes ({@code testBetween}, {@code testIn},
     * {@code testNull} in both selector classes) when they fail or are skipped, so it can read 193 where 196 ran; the
     * XML reports and this line count each test once.
     */
    @Override
    public void run(RunNotifier notifier) {
        Tally tally = new Tally();
        notifier.addListener(tally);
        try {
            super.run(notifier);
        } finally {
            notifier.removeListener(tally);
        }
        System.out.println(tally.summary());
    }

    private static List<Runner> classRunners(Class<?> suiteClass) throws InitializationError {
        requireJakartaJoram();
        SuiteClasses classes = suiteClass.getAnnotation(SuiteClasses.class);
        if (classes == null) {
            throw new InitializationError(suiteClass.getName() + " has no @SuiteClasses");
        }
        KnownFailures known = KnownFailures.load();
        boolean runAll = Boolean.getBoolean(RUN_ALL_PROPERTY);
        List<Runner> runners = new ArrayList<>();
        Set<String> allTests = new HashSet<>();
        for (Class<?> c : classes.value()) {
            JoramClassRunner runner = new JoramClassRunner(c.asSubclass(TestCase.class), known, runAll);
            runners.add(runner);
            runner.tests().forEach(t -> allTests.add(KnownFailures.key(c, t.getName())));
        }
        Set<String> unknown = known.unknown(allTests);
        if (!unknown.isEmpty()) {
            throw new InitializationError(KnownFailures.RESOURCE + " names tests that do not exist: " + unknown);
        }
        return runners;
    }

    /**
     * The JORAM classes must come from the transformed jar: the original refers to javax.jms, which a Jakarta
     * provider does not implement. Fails early and says so rather than with 196 NoClassDefFoundErrors.
     */
    private static void requireJakartaJoram() throws InitializationError {
        CodeSource source = JMSTestCase.class.getProtectionDomain().getCodeSource();
        String location = source == null ? "an unknown location" : source.getLocation().toString();
        String queueType;
        try {
            queueType = PTPTestCase.class.getDeclaredField("senderQueue").getType().getName();
        } catch (NoSuchFieldException | LinkageError e) {
            throw new InitializationError("cannot inspect the JORAM classes loaded from " + location + ": " + e);
        }
        if (!location.endsWith("-jakarta.jar") || !queueType.startsWith("jakarta.jms.")) {
            throw new InitializationError("the JORAM tests were loaded from " + location + " and use " + queueType
                    + "; they must come from the jakarta jar the transformer-maven-plugin writes (see surefire's "
                    + "additionalClasspathElements and classpathDependencyExcludes in conformance/pom.xml)");
        }
    }

    /** One JORAM class: its JUnit 3 test methods as children, each run with setUp/runTest/tearDown. */
    static final class JoramClassRunner extends ParentRunner<TestCase> {
        private final KnownFailures known;
        private final boolean runAll;
        private final List<TestCase> tests;

        JoramClassRunner(Class<? extends TestCase> testClass, KnownFailures known, boolean runAll)
                throws InitializationError {
            super(testClass);
            this.known = known;
            this.runAll = runAll;
            List<TestCase> list = new ArrayList<>();
            Collections.list(new TestSuite(testClass).tests()).forEach(t -> list.add((TestCase) t));
            this.tests = List.copyOf(list);
        }

        List<TestCase> tests() {
            return tests;
        }

        @Override
        protected List<TestCase> getChildren() {
            return tests;
        }

        @Override
        protected Description describeChild(TestCase test) {
            Class<?> c = getTestClass().getJavaClass();
            if (skipped(test)) {
                return Description.createTestDescription(c, test.getName(), ignored(reason(test)));
            }
            return Description.createTestDescription(c, test.getName());
        }

        @Override
        protected void runChild(TestCase test, RunNotifier notifier) {
            Description description = describeChild(test);
            if (skipped(test)) {
                notifier.fireTestIgnored(description);
                return;
            }
            EachTestNotifier each = new EachTestNotifier(notifier, description);
            each.fireTestStarted();
            boolean passed = false;
            try {
                test.runBare();
                passed = true;
            } catch (Throwable t) { // a test runner reports whatever a test throws, errors included
                each.addFailure(t);
            } finally {
                each.fireTestFinished();
            }
            if (passed && !reason(test).isEmpty()) {
                System.out.println("KNOWN FAILURE NOW PASSES: " + KnownFailures.key(getTestClass().getJavaClass(),
                        test.getName()) + " -- take it off " + KnownFailures.RESOURCE);
            }
        }

        private boolean skipped(TestCase test) {
            return !runAll && !reason(test).isEmpty();
        }

        private String reason(TestCase test) {
            return known.reason(getTestClass().getJavaClass(), test.getName()).orElse("");
        }

        private static Ignore ignored(String reason) {
            return new Ignore() {
                @Override
                public String value() {
                    return "known failure: " + reason;
                }

                @Override
                public Class<? extends Annotation> annotationType() {
                    return Ignore.class;
                }
            };
        }
    }

    /** Counts what ran, what failed and what was skipped as a known failure. */
    private static final class Tally extends RunListener {
        private final Set<Description> failed = ConcurrentHashMap.newKeySet();
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicInteger skipped = new AtomicInteger();

        @Override
        public void testFinished(Description description) {
            finished.incrementAndGet();
        }

        @Override
        public void testFailure(Failure failure) {
            failed.add(failure.getDescription());
        }

        @Override
        public void testAssumptionFailure(Failure failure) {
            failed.add(failure.getDescription());
        }

        @Override
        public void testIgnored(Description description) {
            skipped.incrementAndGet();
        }

        String summary() {
            int total = finished.get() + skipped.get();
            int passed = finished.get() - failed.size();
            return "JORAM conformance against Tern: " + total + " tests, " + passed + " passed, " + failed.size()
                    + " failed, " + skipped.get() + " skipped as known failures (" + KnownFailures.RESOURCE + ")";
        }
    }
}

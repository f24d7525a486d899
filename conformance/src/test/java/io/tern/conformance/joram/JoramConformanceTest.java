package io.tern.conformance.joram;

import org.junit.runner.RunWith;
import org.junit.runners.Suite.SuiteClasses;
import org.objectweb.jtests.jms.conform.connection.ConnectionTest;
import org.objectweb.jtests.jms.conform.connection.TopicConnectionTest;
import org.objectweb.jtests.jms.conform.message.MessageBodyTest;
import org.objectweb.jtests.jms.conform.message.MessageDefaultTest;
import org.objectweb.jtests.jms.conform.message.MessageTypeTest;
import org.objectweb.jtests.jms.conform.message.headers.MessageHeaderTest;
import org.objectweb.jtests.jms.conform.message.properties.JMSXPropertyTest;
import org.objectweb.jtests.jms.conform.message.properties.MessagePropertyConversionTest;
import org.objectweb.jtests.jms.conform.message.properties.MessagePropertyTest;
import org.objectweb.jtests.jms.conform.queue.QueueBrowserTest;
import org.objectweb.jtests.jms.conform.queue.TemporaryQueueTest;
import org.objectweb.jtests.jms.conform.selector.SelectorSyntaxTest;
import org.objectweb.jtests.jms.conform.selector.SelectorTest;
import org.objectweb.jtests.jms.conform.session.QueueSessionTest;
import org.objectweb.jtests.jms.conform.session.SessionTest;
import org.objectweb.jtests.jms.conform.session.TopicSessionTest;
import org.objectweb.jtests.jms.conform.session.UnifiedSessionTest;
import org.objectweb.jtests.jms.conform.topic.TemporaryTopicTest;

/**
 * The JORAM JMS conformance tests (196 tests in 18 classes, JMS 1.1 turned into jakarta.jms at build time) against
 * Tern, through {@link TernAdmin}. Tests listed in {@code known-failures.properties} are skipped with their reason
 * unless {@code -Pconformance-all}.
 */
@RunWith(KnownFailuresSuite.class)
@SuiteClasses({
        ConnectionTest.class,
        TopicConnectionTest.class,
        MessageHeaderTest.class,
        MessageBodyTest.class,
        MessageDefaultTest.class,
        MessageTypeTest.class,
        JMSXPropertyTest.class,
        MessagePropertyConversionTest.class,
        MessagePropertyTest.class,
        QueueBrowserTest.class,
        TemporaryQueueTest.class,
        SelectorSyntaxTest.class,
        SelectorTest.class,
        QueueSessionTest.class,
        SessionTest.class,
        TopicSessionTest.class,
        UnifiedSessionTest.class,
        TemporaryTopicTest.class,
})
public class JoramConformanceTest {
}

package io.tern.ra;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import jakarta.jms.TransactionInProgressException;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The session of a {@link ConnectionHandle}: the pooled connection's session, seen through the Jakarta EE rules.
 * Inside a JTA (or container local) transaction the transacted and acknowledge-mode arguments it was created with
 * are ignored and its work belongs to the transaction; {@code commit}/{@code rollback} then throw
 * {@link TransactionInProgressException}. Outside one it sends and acknowledges at once (a transacted session is
 * not offered, as Jakarta Messaging 3.1 recommends). {@code setMessageListener}, {@code getMessageListener} and
 * {@code run} throw {@link IllegalStateException}. Closing it closes what was made from it, not the pooled session.
 */
final class SessionHandle implements Session, QueueSession, TopicSession {
    private final ConnectionHandle connection;
    private final Session session;
    private final int requestedMode;
    private final List<AutoCloseable> children = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    SessionHandle(ConnectionHandle connection, Session session, boolean transacted, int acknowledgeMode) {
        this.connection = connection;
        this.session = session;
        this.requestedMode = transacted ? Session.SESSION_TRANSACTED : acknowledgeMode;
    }

    boolean isClosed() {
        return closed;
    }

    void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        connection.checkOpen();
    }

    /** The pooled session, once {@link #checkOpen()} has passed: every call goes through here. */
    private Session open() throws JMSException {
        checkOpen();
        return session;
    }

    private boolean inTransaction() throws JMSException {
        return connection.managed().inTransaction();
    }

    // --- messages ---------------------------------------------------------------------------------------------

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        return open().createBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        return open().createMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        return open().createMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        return open().createObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        return open().createObjectMessage(object);
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        return open().createStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        return open().createTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        return open().createTextMessage(text);
    }

    // --- transactions -----------------------------------------------------------------------------------------

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return inTransaction();
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        if (inTransaction()) {
            return Session.SESSION_TRANSACTED;
        }
        return requestedMode == Session.DUPS_OK_ACKNOWLEDGE ? Session.DUPS_OK_ACKNOWLEDGE : Session.AUTO_ACKNOWLEDGE;
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        if (inTransaction()) {
            throw new TransactionInProgressException("commit() may not be called inside a JTA transaction; the"
                    + " transaction manager completes it");
        }
        throw new IllegalStateException("commit() is only for a transacted session; outside a JTA transaction a"
                + " session of a Jakarta EE container is not transacted");
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        if (inTransaction()) {
            throw new TransactionInProgressException("rollback() may not be called inside a JTA transaction; use"
                    + " setRollbackOnly on the transaction");
        }
        throw new IllegalStateException("rollback() is only for a transacted session; outside a JTA transaction a"
                + " session of a Jakarta EE container is not transacted");
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
        if (inTransaction()) {
            throw new IllegalStateException("recover() may not be called inside a JTA transaction");
        }
        session.recover();
    }

    // --- listeners: for the application server only -----------------------------------------------------------

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        throw ConnectionHandle.forbidden("Session.getMessageListener");
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        throw ConnectionHandle.forbidden("Session.setMessageListener");
    }

    @Override
    public void run() {
        throw new java.lang.IllegalStateException("Session.run may not be called by an application in a Jakarta EE"
                + " web or EJB container");
    }

    // --- producers and consumers ------------------------------------------------------------------------------

    private <T extends AutoCloseable> T track(T child) {
        children.add(child);
        return child;
    }

    private ConsumerHandle consumer(MessageConsumer pooled) {
        return track(new ConsumerHandle(this, pooled));
    }

    void childClosed(AutoCloseable child) {
        children.remove(child);
    }

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        return track(new ProducerHandle(this, open().createProducer(Destinations.toTern(destination))));
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return (QueueSender) createProducer(queue);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return (TopicPublisher) createProducer(topic);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return consumer(open().createConsumer(Destinations.toTern(destination)));
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        return consumer(open().createConsumer(Destinations.toTern(destination),
                messageSelector));
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal)
            throws JMSException {
        return consumer(open().createConsumer(Destinations.toTern(destination),
                messageSelector, noLocal));
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return (QueueReceiver) createConsumer(queue);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
        return (QueueReceiver) createConsumer(queue, messageSelector);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return (TopicSubscriber) createConsumer(topic);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal)
            throws JMSException {
        return (TopicSubscriber) createConsumer(topic, messageSelector, noLocal);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return consumer(open().createSharedConsumer(Destinations.toTern(topic),
                sharedSubscriptionName));
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws JMSException {
        return consumer(open().createSharedConsumer(Destinations.toTern(topic),
                sharedSubscriptionName, messageSelector));
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return consumer(open().createDurableSubscriber(Destinations.toTern(topic), name));
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector,
            boolean noLocal) throws JMSException {
        return consumer(open().createDurableSubscriber(Destinations.toTern(topic), name,
                messageSelector, noLocal));
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return consumer(open().createDurableConsumer(Destinations.toTern(topic), name));
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector,
            boolean noLocal) throws JMSException {
        return consumer(open().createDurableConsumer(Destinations.toTern(topic), name,
                messageSelector, noLocal));
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return consumer(open().createSharedDurableConsumer(Destinations.toTern(topic),
                name));
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        return consumer(open().createSharedDurableConsumer(Destinations.toTern(topic),
                name, messageSelector));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return track(open().createBrowser(Destinations.toTern(queue)));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        return track(open().createBrowser(Destinations.toTern(queue), messageSelector));
    }

    // --- destinations -----------------------------------------------------------------------------------------

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        return open().createQueue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        return open().createTopic(topicName);
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        return connection.temporary(open().createTemporaryQueue());
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        return connection.temporary(open().createTemporaryTopic());
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        open().unsubscribe(name);
    }

    // --- close ------------------------------------------------------------------------------------------------

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closeForConnection();
    }

    /** Closes what was made from this handle; the pooled session stays open for the next user. */
    void closeForConnection() throws JMSException {
        closed = true;
        JMSException first = null;
        for (AutoCloseable c : children) {
            try {
                c.close();
            } catch (JMSException e) {
                first = first == null ? e : first;
            } catch (Exception e) {
                JMSException j = new JMSException("closing " + c + " failed: " + e);
                j.initCause(e);
                first = first == null ? j : first;
            }
        }
        children.clear();
        if (first != null) {
            throw first;
        }
    }

    /** The container took the pooled connection back: close what is left, quietly. */
    void invalidate() {
        try {
            closeForConnection();
        } catch (JMSException e) {
            // the handle is dead either way; the pooled connection reports its own failure
        }
    }
}

package io.tern.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.beans.IntrospectionException;
import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * How a message-driven bean receives: the standard activation properties of Jakarta Messaging 3.1 (13.1,
 * {@code destination}, {@code destinationType}, {@code destinationLookup}, {@code connectionFactoryLookup},
 * {@code messageSelector}, {@code acknowledgeMode}, {@code subscriptionDurability}, {@code subscriptionName},
 * {@code shareSubscriptions}, {@code clientId}) plus {@code maxSessions}, {@code maxMessagesPerSession}, the
 * connection ({@code serverUrl}, {@code userName}, {@code password}, {@code connectionParameters}; unset ones come
 * from the resource adapter), redelivery ({@code maxDeliveryAttempts}, {@code deadLetterQueue}) and reconnection
 * ({@code reconnectInterval}, {@code reconnectBackoff}, {@code maxReconnectInterval}, {@code receiveTimeout}) and
 * {@code prefetch} (messages each session buffers; default 1).
 * {@link #validate()} names the property that is wrong.
 */
public class TernActivationSpec extends ConnectionProperties implements ActivationSpec {
    private static final long serialVersionUID = 1L;

    public static final String QUEUE = "jakarta.jms.Queue";
    public static final String TOPIC = "jakarta.jms.Topic";
    public static final String AUTO_ACKNOWLEDGE = "Auto-acknowledge";
    public static final String DUPS_OK_ACKNOWLEDGE = "Dups-ok-acknowledge";
    public static final String DURABLE = "Durable";
    public static final String NON_DURABLE = "NonDurable";

    private String destination;
    private String destinationType;
    private String destinationLookup;
    private String connectionFactoryLookup;
    private String messageSelector;
    private String acknowledgeMode = AUTO_ACKNOWLEDGE;
    private String subscriptionDurability = NON_DURABLE;
    private String subscriptionName;
    private Boolean shareSubscriptions = Boolean.FALSE;
    private Integer maxSessions = 10;
    private Integer maxMessagesPerSession = 100;
    private Integer maxDeliveryAttempts = 0;
    private String deadLetterQueue = "DLQ";
    private Long reconnectInterval = 1000L;
    private Double reconnectBackoff = 2.0;
    private Long maxReconnectInterval = 30_000L;
    private Long receiveTimeout = 2000L;
    private Integer prefetch = 1;
    private transient ResourceAdapter adapter;

    // --- validation -------------------------------------------------------------------------------------------

    @Override
    public void validate() throws InvalidPropertyException {
        List<String> bad = new ArrayList<>();
        List<String> why = new ArrayList<>();
        if (blank(destination) && blank(destinationLookup)) {
            bad.add("destination");
            why.add("destination: neither destination nor destinationLookup is set; name the queue or topic");
        }
        if (!blank(destinationType) && !QUEUE.equals(destinationType) && !TOPIC.equals(destinationType)) {
            bad.add("destinationType");
            why.add("destinationType: '" + destinationType + "' is neither " + QUEUE + " nor " + TOPIC);
        }
        if (!AUTO_ACKNOWLEDGE.equalsIgnoreCase(acknowledgeMode)
                && !DUPS_OK_ACKNOWLEDGE.equalsIgnoreCase(acknowledgeMode)) {
            bad.add("acknowledgeMode");
            why.add("acknowledgeMode: '" + acknowledgeMode + "' is neither " + AUTO_ACKNOWLEDGE + " nor "
                    + DUPS_OK_ACKNOWLEDGE);
        }
        if (!DURABLE.equalsIgnoreCase(subscriptionDurability)
                && !NON_DURABLE.equalsIgnoreCase(subscriptionDurability)) {
            bad.add("subscriptionDurability");
            why.add("subscriptionDurability: '" + subscriptionDurability + "' is neither " + DURABLE + " nor "
                    + NON_DURABLE);
        } else if (isDurable()) {
            if (QUEUE.equals(destinationType)) {
                bad.add("subscriptionDurability");
                why.add("subscriptionDurability: Durable applies to a topic, and destinationType is " + QUEUE);
            }
            if (blank(subscriptionName)) {
                bad.add("subscriptionName");
                why.add("subscriptionName: a Durable subscription needs a subscriptionName");
            }
        }
        if (isShared() && blank(subscriptionName)) {
            bad.add("subscriptionName");
            why.add("subscriptionName: shareSubscriptions=true needs a subscriptionName to share");
        }
        positive(maxSessions, "maxSessions", bad, why);
        positive(maxMessagesPerSession, "maxMessagesPerSession", bad, why);
        if (maxDeliveryAttempts == null || maxDeliveryAttempts < 0) {
            bad.add("maxDeliveryAttempts");
            why.add("maxDeliveryAttempts: " + maxDeliveryAttempts + " must be 0 (leave it to the broker) or more");
        }
        if (maxDeliveryAttempts != null && maxDeliveryAttempts > 0 && blank(deadLetterQueue)) {
            bad.add("deadLetterQueue");
            why.add("deadLetterQueue: maxDeliveryAttempts is set, so a dead-letter queue must be named");
        }
        if (reconnectInterval == null || reconnectInterval < 1) {
            bad.add("reconnectInterval");
            why.add("reconnectInterval: " + reconnectInterval + " must be at least 1 (milliseconds)");
        }
        if (reconnectBackoff == null || !(reconnectBackoff >= 1.0)) {
            bad.add("reconnectBackoff");
            why.add("reconnectBackoff: " + reconnectBackoff + " must be at least 1");
        }
        if (maxReconnectInterval == null || reconnectInterval != null && maxReconnectInterval < reconnectInterval) {
            bad.add("maxReconnectInterval");
            why.add("maxReconnectInterval: " + maxReconnectInterval + " must be at least reconnectInterval ("
                    + reconnectInterval + ")");
        }
        if (prefetch == null || prefetch < 1) {
            bad.add("prefetch");
            why.add("prefetch: " + prefetch + " must be at least 1");
        }
        if (receiveTimeout == null || receiveTimeout < 1) {
            bad.add("receiveTimeout");
            why.add("receiveTimeout: " + receiveTimeout + " must be at least 1 (milliseconds)");
        }
        if (!why.isEmpty()) {
            InvalidPropertyException e = new InvalidPropertyException("TERN-R0202 invalid activation configuration: "
                    + String.join("; ", why));
            e.setInvalidPropertyDescriptors(descriptors(bad));
            throw e;
        }
    }

    private static void positive(Integer value, String name, List<String> bad, List<String> why) {
        if (value == null || value < 1) {
            bad.add(name);
            why.add(name + ": " + value + " must be at least 1");
        }
    }

    private PropertyDescriptor[] descriptors(List<String> names) {
        List<PropertyDescriptor> out = new ArrayList<>();
        for (String n : names) {
            try {
                out.add(new PropertyDescriptor(n, TernActivationSpec.class));
            } catch (IntrospectionException e) {
                // every name above is a property of this class
            }
        }
        return out.toArray(new PropertyDescriptor[0]);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    boolean isTopic() {
        return TOPIC.equals(destinationType);
    }

    boolean isDurable() {
        return DURABLE.equalsIgnoreCase(subscriptionDurability);
    }

    boolean isShared() {
        return Boolean.TRUE.equals(shareSubscriptions);
    }

    /**
     * The broker and credentials of this activation, the adapter's {@code defaults} filling what is not set. Its
     * sessions prefetch {@code prefetch} messages each unless the URI or connectionParameters say otherwise, so
     * that a backlog is shared among the sessions rather than buffered by the first.
     */
    BrokerAddress address(BrokerAddress defaults) {
        BrokerAddress a = over(defaults);
        if (a.url().matches(".*[?&]prefetch=.*")) {
            return a;
        }
        return new BrokerAddress(BrokerAddress.withParameters(a.url(), "prefetch=" + prefetch), a.user(),
                a.password(), a.clientId());
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return adapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        this.adapter = ra;
    }

    // --- properties -------------------------------------------------------------------------------------------

    public String getDestination() {
        return destination;
    }

    public void setDestination(String destination) {
        this.destination = destination;
    }

    public String getDestinationType() {
        return destinationType;
    }

    public void setDestinationType(String destinationType) {
        this.destinationType = destinationType;
    }

    public String getDestinationLookup() {
        return destinationLookup;
    }

    public void setDestinationLookup(String destinationLookup) {
        this.destinationLookup = destinationLookup;
    }

    public String getConnectionFactoryLookup() {
        return connectionFactoryLookup;
    }

    public void setConnectionFactoryLookup(String connectionFactoryLookup) {
        this.connectionFactoryLookup = connectionFactoryLookup;
    }

    public String getMessageSelector() {
        return messageSelector;
    }

    public void setMessageSelector(String messageSelector) {
        this.messageSelector = messageSelector;
    }

    public String getAcknowledgeMode() {
        return acknowledgeMode;
    }

    public void setAcknowledgeMode(String acknowledgeMode) {
        this.acknowledgeMode = acknowledgeMode;
    }

    public String getSubscriptionDurability() {
        return subscriptionDurability;
    }

    public void setSubscriptionDurability(String subscriptionDurability) {
        this.subscriptionDurability = subscriptionDurability;
    }

    public String getSubscriptionName() {
        return subscriptionName;
    }

    public void setSubscriptionName(String subscriptionName) {
        this.subscriptionName = subscriptionName;
    }

    public Boolean getShareSubscriptions() {
        return shareSubscriptions;
    }

    public void setShareSubscriptions(Boolean shareSubscriptions) {
        this.shareSubscriptions = shareSubscriptions;
    }

    public Integer getMaxSessions() {
        return maxSessions;
    }

    public void setMaxSessions(Integer maxSessions) {
        this.maxSessions = maxSessions;
    }

    public Integer getMaxMessagesPerSession() {
        return maxMessagesPerSession;
    }

    public void setMaxMessagesPerSession(Integer maxMessagesPerSession) {
        this.maxMessagesPerSession = maxMessagesPerSession;
    }

    public Integer getMaxDeliveryAttempts() {
        return maxDeliveryAttempts;
    }

    public void setMaxDeliveryAttempts(Integer maxDeliveryAttempts) {
        this.maxDeliveryAttempts = maxDeliveryAttempts;
    }

    public String getDeadLetterQueue() {
        return deadLetterQueue;
    }

    public void setDeadLetterQueue(String deadLetterQueue) {
        this.deadLetterQueue = deadLetterQueue;
    }

    public Long getReconnectInterval() {
        return reconnectInterval;
    }

    public void setReconnectInterval(Long reconnectInterval) {
        this.reconnectInterval = reconnectInterval;
    }

    public Double getReconnectBackoff() {
        return reconnectBackoff;
    }

    public void setReconnectBackoff(Double reconnectBackoff) {
        this.reconnectBackoff = reconnectBackoff;
    }

    public Long getMaxReconnectInterval() {
        return maxReconnectInterval;
    }

    public void setMaxReconnectInterval(Long maxReconnectInterval) {
        this.maxReconnectInterval = maxReconnectInterval;
    }

    public Integer getPrefetch() {
        return prefetch;
    }

    public void setPrefetch(Integer prefetch) {
        this.prefetch = prefetch;
    }

    public Long getReceiveTimeout() {
        return receiveTimeout;
    }

    public void setReceiveTimeout(Long receiveTimeout) {
        this.receiveTimeout = receiveTimeout;
    }

    @Override
    public String toString() {
        return "TernActivationSpec[" + (blank(destination) ? destinationLookup : destination) + ", "
                + (isTopic() ? "topic" : "queue") + (isDurable() ? ", durable " + subscriptionName : "") + "]";
    }
}

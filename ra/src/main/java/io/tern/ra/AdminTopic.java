package io.tern.ra;

import jakarta.jms.Topic;

/**
 * A topic the application server binds in JNDI from the adapter's admin object definition, so that
 * {@code @Resource(lookup = "java:/jms/topic/prices") Topic prices} works. Its one property, {@code PhysicalName},
 * is the topic's name on the broker. The adapter's sessions turn it into a Tern topic wherever it is used.
 */
public class AdminTopic extends AdminDestination implements Topic {
    private static final long serialVersionUID = 1L;

    public AdminTopic() {
        super(null);
    }

    public AdminTopic(String physicalName) {
        super(physicalName);
    }

    @Override
    public String getTopicName() {
        return getPhysicalName();
    }

    @Override
    String kind() {
        return "topic";
    }
}

package io.tern.ra;

import jakarta.jms.ConnectionMetaData;
import jakarta.jms.JMSException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ManagedConnectionMetaData;

/** Product name and version of the broker connection, and the user it was opened for. */
final class TernManagedConnectionMetaData implements ManagedConnectionMetaData {
    private final String product;
    private final String version;
    private final String user;

    TernManagedConnectionMetaData(jakarta.jms.Connection connection, String user) throws ResourceException {
        try {
            ConnectionMetaData m = connection.getMetaData();
            this.product = m.getJMSProviderName();
            this.version = m.getProviderVersion();
        } catch (JMSException e) {
            throw new ResourceException("TERN-R0113 connection metadata unavailable: " + e.getMessage(), e);
        }
        this.user = user;
    }

    @Override
    public String getEISProductName() {
        return product;
    }

    @Override
    public String getEISProductVersion() {
        return version;
    }

    /** A connection serves any number of handles, one after another or (sharing) at once. */
    @Override
    public int getMaxConnections() {
        return 0;
    }

    @Override
    public String getUserName() {
        return user;
    }
}

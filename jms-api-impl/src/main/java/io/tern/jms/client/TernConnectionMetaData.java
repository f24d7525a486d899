package io.tern.jms.client;

import jakarta.jms.ConnectionMetaData;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/** What the provider tells about itself: JMS 3.1, Tern's version and the JMSX properties it supports. */
public final class TernConnectionMetaData implements ConnectionMetaData {
    public static final TernConnectionMetaData INSTANCE = new TernConnectionMetaData();

    /** The JMSX properties Tern supports: it sets JMSXDeliveryCount and passes the group properties through. */
    public static final List<String> JMSX_PROPERTIES = List.of("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq");

    private static final String VERSION = versionOf();

    private TernConnectionMetaData() {
    }

    private static String versionOf() {
        String v = TernConnectionMetaData.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    @Override
    public String getJMSVersion() {
        return "3.1";
    }

    @Override
    public int getJMSMajorVersion() {
        return 3;
    }

    @Override
    public int getJMSMinorVersion() {
        return 1;
    }

    @Override
    public String getJMSProviderName() {
        return "Tern";
    }

    @Override
    public String getProviderVersion() {
        return VERSION;
    }

    @Override
    public int getProviderMajorVersion() {
        return part(0);
    }

    @Override
    public int getProviderMinorVersion() {
        return part(1);
    }

    private static int part(int index) {
        String[] parts = VERSION.split("[.-]");
        try {
            return parts.length > index ? Integer.parseInt(parts[index]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public Enumeration<String> getJMSXPropertyNames() {
        return Collections.enumeration(JMSX_PROPERTIES);
    }
}

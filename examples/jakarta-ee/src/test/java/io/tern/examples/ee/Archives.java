package io.tern.examples.ee;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;

/**
 * The build's archives as the tests deploy them: {@code tern-ra.rar} with the run's settings and the test's admin
 * object added to its ironjacamar.xml, and the application.
 */
final class Archives {
    private Archives() {
    }

    /**
     * The adapter's settings for a run, as WildFly system-property expressions ({@code -Dit.ServerUrl=...} in
     * tern.it.serverArgs). The adapter's own META-INF/ironjacamar.xml sets none, so the test adds them to a copy.
     */
    private static final String SETTINGS = """
            <config-property name="ServerUrl">${it.ServerUrl:}</config-property>
              <config-property name="EmbeddedBroker">${it.EmbeddedBroker:false}</config-property>
              <config-property name="EmbeddedBrokerDataDirectory">${it.EmbeddedBrokerDataDirectory:}</config-property>
              <config-property name="EmbeddedBrokerConfiguration">${it.EmbeddedBrokerConfiguration:}</config-property>
            """;

    /** The queue {@link AuditListener} finds by {@code destinationLookup}: an admin object of the adapter. */
    private static final String ADMIN_OBJECTS = """
            <admin-objects>
                <admin-object class-name="io.tern.ra.AdminQueue" jndi-name="java:/jms/queue/TernAudit" pool-name="TernAudit">
                  <config-property name="PhysicalName">audit</config-property>
                </admin-object>
              </admin-objects>
            """;

    static ResourceAdapterArchive adapter() throws IOException {
        ResourceAdapterArchive rar = ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class, file("tern.it.rar"));
        String descriptor = "META-INF/ironjacamar.xml";
        String xml;
        try (InputStream in = rar.get(descriptor).getAsset().openStream()) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int at = xml.indexOf("<transaction-support>");
        if (at < 0) {
            throw new IllegalStateException("tern-ra.rar's " + descriptor + " has no <transaction-support>:\n" + xml);
        }
        xml = xml.substring(0, at) + SETTINGS.strip() + "\n  " + xml.substring(at);
        at = xml.indexOf("</connection-definitions>");
        if (at < 0) {
            throw new IllegalStateException("tern-ra.rar's " + descriptor + " has no </connection-definitions>:\n" + xml);
        }
        at += "</connection-definitions>".length();
        xml = xml.substring(0, at) + "\n  " + ADMIN_OBJECTS.strip() + xml.substring(at);
        rar.delete(descriptor);
        rar.addAsManifestResource(new StringAsset(xml), "ironjacamar.xml");
        return rar;
    }

    static File file(String property) {
        File f = new File(System.getProperty(property));
        if (!f.isFile()) {
            throw new IllegalStateException(property + ": " + f + " is not there; build it first (./mvnw verify)");
        }
        return f;
    }
}

package io.tern.ra;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * ra.xml and ironjacamar.xml against the classes they name (the schema itself is {@link RaXmlSchemaTest}'s):
 * every class loadable and implementing its interface, every config-property a JavaBean property of its declared
 * type, and an ironjacamar.xml connection definition with recovery for each managed connection factory of ra.xml.
 */
class DescriptorTest {
    private static final String JAKARTAEE = "https://jakarta.ee/xml/ns/jakartaee";
    private static final Set<String> PROPERTY_TYPES = Set.of("java.lang.Boolean", "java.lang.String",
            "java.lang.Integer", "java.lang.Double", "java.lang.Byte", "java.lang.Short", "java.lang.Long",
            "java.lang.Float", "java.lang.Character");

    private static Document parse(String name) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(Files.newInputStream(Path.of("src/main/rar/META-INF", name)));
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && (name == null || c.getLocalName().equals(name))) {
                out.add(c);
            }
        }
        return out;
    }

    private static Element child(Element e, String name) {
        List<Element> c = children(e, name);
        assertThat(c).as("<%s> in <%s>", name, e.getLocalName()).hasSize(1);
        return c.get(0);
    }

    private static String text(Element e, String name) {
        return child(e, name).getTextContent().trim();
    }

    /** The element names of {@code e}'s children, in the order the schema's sequence allows. */
    private static void assertOrder(Element e, String... sequence) {
        List<String> order = List.of(sequence);
        int last = -1;
        for (Element c : children(e, null)) {
            assertThat(c.getNamespaceURI()).isEqualTo(JAKARTAEE);
            int i = order.indexOf(c.getLocalName());
            assertThat(i).as("<%s> is allowed in <%s>", c.getLocalName(), e.getLocalName()).isNotNegative();
            assertThat(i).as("<%s> comes in schema order in <%s>", c.getLocalName(), e.getLocalName())
                    .isGreaterThanOrEqualTo(last);
            last = i;
        }
    }

    private static void assertProperties(Element owner, Class<?> type) throws Exception {
        for (Element p : children(owner, "config-property")) {
            assertOrder(p, "description", "config-property-name", "config-property-type", "config-property-value",
                    "config-property-ignore", "config-property-supports-dynamic-updates",
                    "config-property-confidential");
            String name = text(p, "config-property-name");
            String typeName = text(p, "config-property-type");
            assertThat(PROPERTY_TYPES).as("type of %s", name).contains(typeName);
            Class<?> valueType = Class.forName(typeName);
            assertThat(type.getMethod("set" + name, valueType)).as("setter of %s on %s", name, type).isNotNull();
            assertThat(type.getMethod("get" + name).getReturnType()).isEqualTo(valueType);
        }
    }

    @Test
    void raXmlNamesClassesThatImplementTheContracts() throws Exception {
        Element connector = parse("ra.xml").getDocumentElement();
        assertThat(connector.getNamespaceURI()).isEqualTo(JAKARTAEE);
        assertThat(connector.getAttribute("version")).isEqualTo("2.1");
        assertOrder(connector, "module-name", "description", "display-name", "icon", "vendor-name", "eis-type",
                "resourceadapter-version", "license", "resourceadapter", "required-work-context");

        Element ra = child(connector, "resourceadapter");
        assertOrder(ra, "resourceadapter-class", "config-property", "outbound-resourceadapter",
                "inbound-resourceadapter", "adminobject", "security-permission");
        Class<?> adapter = Class.forName(text(ra, "resourceadapter-class"));
        assertThat(ResourceAdapter.class).isAssignableFrom(adapter);
        assertProperties(ra, adapter);

        Element outbound = child(ra, "outbound-resourceadapter");
        assertOrder(outbound, "connection-definition", "transaction-support", "authentication-mechanism",
                "reauthentication-support");
        assertThat(text(outbound, "transaction-support")).isEqualTo("XATransaction");
        Set<String> interfaces = new HashSet<>();
        for (Element cd : children(outbound, "connection-definition")) {
            assertOrder(cd, "managedconnectionfactory-class", "config-property", "connectionfactory-interface",
                    "connectionfactory-impl-class", "connection-interface", "connection-impl-class");
            Class<?> mcf = Class.forName(text(cd, "managedconnectionfactory-class"));
            assertThat(ManagedConnectionFactory.class).isAssignableFrom(mcf);
            assertProperties(cd, mcf);
            Class<?> cfInterface = Class.forName(text(cd, "connectionfactory-interface"));
            assertThat(cfInterface).isAssignableFrom(Class.forName(text(cd, "connectionfactory-impl-class")));
            assertThat(Class.forName(text(cd, "connection-interface")))
                    .isAssignableFrom(Class.forName(text(cd, "connection-impl-class")));
            interfaces.add(cfInterface.getName());
        }
        assertThat(interfaces).containsExactlyInAnyOrder("jakarta.jms.ConnectionFactory",
                "jakarta.jms.QueueConnectionFactory", "jakarta.jms.TopicConnectionFactory");

        Element listener = child(child(child(ra, "inbound-resourceadapter"), "messageadapter"), "messagelistener");
        assertThat(text(listener, "messagelistener-type")).isEqualTo("jakarta.jms.MessageListener");
        Element spec = child(listener, "activationspec");
        assertOrder(spec, "activationspec-class", "required-config-property", "config-property");
        Class<?> specClass = Class.forName(text(spec, "activationspec-class"));
        assertThat(ActivationSpec.class).isAssignableFrom(specClass);
        for (Element required : children(spec, "required-config-property")) {
            String name = text(required, "config-property-name");
            assertThat(specClass.getMethod("set" + Character.toUpperCase(name.charAt(0)) + name.substring(1),
                    String.class)).isNotNull();
        }

        Set<String> adminInterfaces = new HashSet<>();
        for (Element admin : children(ra, "adminobject")) {
            assertOrder(admin, "adminobject-interface", "adminobject-class", "config-property");
            Class<?> iface = Class.forName(text(admin, "adminobject-interface"));
            Class<?> impl = Class.forName(text(admin, "adminobject-class"));
            assertThat(iface).isAssignableFrom(impl);
            assertThat(impl.getConstructor()).isNotNull();
            assertProperties(admin, impl);
            adminInterfaces.add(iface.getName());
        }
        assertThat(adminInterfaces).containsExactlyInAnyOrder("jakarta.jms.Queue", "jakarta.jms.Topic");
    }

    @Test
    void ironjacamarXmlActivatesEveryConnectionDefinitionWithRecovery() throws Exception {
        Element ra = child(parse("ra.xml").getDocumentElement(), "resourceadapter");
        Set<String> mcfs = new HashSet<>();
        for (Element cd : children(child(ra, "outbound-resourceadapter"), "connection-definition")) {
            mcfs.add(text(cd, "managedconnectionfactory-class"));
        }

        Element ij = parse("ironjacamar.xml").getDocumentElement();
        assertThat(ij.getNamespaceURI()).isEqualTo("http://www.ironjacamar.org/doc/schema");
        assertThat(text(ij, "transaction-support")).isEqualTo("XATransaction");
        Set<String> classes = new HashSet<>();
        Set<String> jndiNames = new HashSet<>();
        for (Node n = child(ij, "connection-definitions").getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element cd) {
                assertThat(cd.getLocalName()).isEqualTo("connection-definition");
                classes.add(cd.getAttribute("class-name"));
                assertThat(jndiNames.add(cd.getAttribute("jndi-name"))).isTrue();
                assertThat(cd.getAttribute("jndi-name")).startsWith("java:/");
                assertThat(cd.getAttribute("pool-name")).isNotBlank();
                assertThat(child(cd, "xa-pool")).isNotNull();
                assertThat(child(cd, "recovery").getAttribute("no-recovery")).isEqualTo("false");
                // IronJacamar disables recovery (IJ020016) for a <recovery> without a credential to recover with
                assertThat(text(child(child(cd, "recovery"), "recover-credential"), "user-name")).isNotEmpty();
            }
        }
        assertThat(classes).isEqualTo(mcfs);
        assertThat(jndiNames).contains("java:/TernConnectionFactory");
    }
}

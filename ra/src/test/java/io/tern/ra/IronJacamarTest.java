package io.tern.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.resource.spi.ManagedConnectionFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.jca.common.api.metadata.resourceadapter.Activation;
import org.jboss.jca.common.api.metadata.resourceadapter.ConnectionDefinition;
import org.jboss.jca.common.api.metadata.spec.AdminObject;
import org.jboss.jca.common.api.metadata.spec.Connector;
import org.jboss.jca.common.api.metadata.spec.MessageListener;
import org.jboss.jca.common.api.metadata.spec.ResourceAdapter;
import org.jboss.jca.common.metadata.ironjacamar.IronJacamarParser;
import org.jboss.jca.common.metadata.spec.RaParser;
import org.jboss.jca.validator.Failure;
import org.jboss.jca.validator.FailureHelper;
import org.jboss.jca.validator.Key;
import org.jboss.jca.validator.Validate;
import org.jboss.jca.validator.ValidateClass;
import org.jboss.jca.validator.ValidateObject;
import org.jboss.jca.validator.Validator;
import org.junit.jupiter.api.Test;

/**
 * The packaged descriptors through IronJacamar 3.0 (what WildFly 39 deploys the .rar with): its ra.xml and
 * ironjacamar.xml parsers, the metadata's own validation, and the deployment validator's rules (resource adapter,
 * managed connection factories, connection factories, activation spec, admin objects: constructors, config
 * properties, equals/hashCode, Serializable/Referenceable) over the classes the descriptors name, built as the
 * server builds them. A failure here is what WildFly would log in YOUR.rar.log and refuse.
 */
class IronJacamarTest {
    private static final Path META_INF = Path.of("target/rar/META-INF");

    private static Connector parseRaXml(String xml) throws Exception {
        return new RaParser().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String raXml() throws Exception {
        return Files.readString(META_INF.resolve("ra.xml"));
    }

    /** The objects IronJacamar's deployer hands its validator for this ra.xml, made as the deployer makes them. */
    private static List<Validate> deploymentObjects(Connector connector) throws Exception {
        ResourceAdapter ra = connector.getResourceadapter();
        List<Validate> objects = new ArrayList<>();
        TernResourceAdapter adapter = (TernResourceAdapter) Class.forName(ra.getResourceadapterClass())
                .getConstructor().newInstance();
        objects.add(new ValidateObject(Key.RESOURCE_ADAPTER, adapter, ra.getConfigProperties()));
        for (var cd : ra.getOutboundResourceadapter().getConnectionDefinitions()) {
            ManagedConnectionFactory mcf = (ManagedConnectionFactory) Class.forName(
                    cd.getManagedConnectionFactoryClass().getValue()).getConstructor().newInstance();
            ((jakarta.resource.spi.ResourceAdapterAssociation) mcf).setResourceAdapter(adapter);
            objects.add(new ValidateObject(Key.MANAGED_CONNECTION_FACTORY, mcf, cd.getConfigProperties()));
            objects.add(new ValidateObject(Key.CONNECTION_FACTORY,
                    mcf.createConnectionFactory(new UnpooledConnectionManager())));
        }
        for (MessageListener listener : ra.getInboundResourceadapter().getMessageadapter().getMessagelisteners()) {
            objects.add(new ValidateClass(Key.ACTIVATION_SPEC,
                    Class.forName(listener.getActivationspec().getActivationspecClass().getValue()),
                    listener.getActivationspec().getConfigProperties()));
        }
        for (AdminObject admin : ra.getAdminObjects()) {
            objects.add(new ValidateClass(Key.ADMIN_OBJECT, Class.forName(admin.getAdminobjectClass().getValue()),
                    admin.getConfigProperties()));
        }
        return objects;
    }

    /** The validator's failures; it answers null for none. */
    private static List<Failure> validate(Connector connector) throws Exception {
        return validate(deploymentObjects(connector));
    }

    private static List<Failure> validate(List<Validate> objects) {
        List<Failure> failures = new Validator().validate(objects);
        return failures == null ? List.of() : failures;
    }

    private static String describe(List<Failure> failures) {
        return new FailureHelper(failures).asText(new Validator().getResourceBundle());
    }

    @Test
    void raXmlParsesAndPassesTheDeploymentValidator() throws Exception {
        Connector connector = parseRaXml(raXml());
        connector.validate();
        assertThat(connector.getVersion()).isEqualTo(Connector.Version.V_21);
        ResourceAdapter ra = connector.getResourceadapter();
        assertThat(ra.getOutboundResourceadapter().getConnectionDefinitions()).hasSize(3);
        assertThat(ra.getAdminObjects()).hasSize(2);

        List<Validate> objects = deploymentObjects(connector);
        assertThat(objects).extracting(Validate::getKey).contains(Key.RESOURCE_ADAPTER,
                Key.MANAGED_CONNECTION_FACTORY, Key.CONNECTION_FACTORY, Key.ACTIVATION_SPEC, Key.ADMIN_OBJECT);
        List<Failure> failures = validate(objects);
        assertThat(failures).as(() -> describe(failures)).isEmpty();
    }

    @Test
    void ironjacamarXmlParsesAndActivatesEachConnectionDefinitionOfRaXml() throws Exception {
        Activation activation;
        try (var in = Files.newInputStream(META_INF.resolve("ironjacamar.xml"))) {
            activation = new IronJacamarParser().parse(in);
        }
        Set<String> mcfs = parseRaXml(raXml()).getResourceadapter().getOutboundResourceadapter()
                .getConnectionDefinitions().stream().map(cd -> cd.getManagedConnectionFactoryClass().getValue())
                .collect(Collectors.toSet());
        assertThat(activation.getConnectionDefinitions()).extracting(ConnectionDefinition::getClassName)
                .containsExactlyInAnyOrderElementsOf(mcfs);
        for (ConnectionDefinition cd : activation.getConnectionDefinitions()) {
            assertThat(cd.getJndiName()).startsWith("java:/");
            assertThat(cd.getRecovery()).as("recovery of %s", cd.getJndiName()).isNotNull();
            assertThat(cd.getRecovery().getNoRecovery()).isFalse();
            assertThat(cd.getRecovery().getCredential().getUserName()).isNotBlank();
        }
    }

    /** A copy with an element IronJacamar does not know is refused by its parser, as WildFly refuses the .rar. */
    @Test
    void theParserRefusesAnUnknownElement() throws Exception {
        String corrupted = raXml().replaceFirst("<resourceadapter-class>",
                "<pool-size>5</pool-size><resourceadapter-class>");
        assertThatThrownBy(() -> parseRaXml(corrupted)).hasMessageContaining("pool-size");
    }

    /**
     * The validator's config-property rule runs over what ra.xml declares: a copy whose connection definition
     * declares {@code LogWriter} (a JavaBean property of every managed connection factory, but of a type no config
     * property may have) is reported, naming it.
     */
    @Test
    void theValidatorCatchesAConfigPropertyOfATypeNoneMayHave() throws Exception {
        String xml = raXml();
        int at = xml.indexOf("<connection-definition>");
        assertThat(at).isPositive();
        String corrupted = xml.substring(0, at) + xml.substring(at).replaceFirst(
                "<config-property-name>ServerUrl</config-property-name>",
                "<config-property-name>LogWriter</config-property-name>");
        List<Failure> failures = validate(parseRaXml(corrupted));
        assertThat(failures).as("failures").isNotNull().isNotEmpty();
        assertThat(describe(failures)).contains("LogWriter", "java.io.PrintWriter");
    }
}

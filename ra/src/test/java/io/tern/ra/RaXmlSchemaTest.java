package io.tern.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.bootstrap.DOMImplementationRegistry;
import org.w3c.dom.ls.DOMImplementationLS;
import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * ra.xml, as the build filters it into the .rar, against the Jakarta Connectors 2.1 schema
 * ({@code connector_2_1.xsd} with the Jakarta EE 10 schemas it includes). The schemas come from artifacts the build
 * unpacks onto the test class path (see ra/pom.xml); every schema location they name is mapped to those copies, and
 * any other is refused, so the test never reaches for the network.
 */
class RaXmlSchemaTest {
    private static final Path RA_XML = Path.of("target/rar/META-INF/ra.xml");
    /** Schema locations the connector schema names, by the file they stand for on the class path. */
    private static final Map<String, String> LOCATIONS = Map.of(
            "connector_2_1.xsd", "schema/connector_2_1.xsd",
            "jakartaee_10.xsd", "schema/jakartaee_10.xsd",
            "jakartaee_web_services_client_2_0.xsd", "schema/jakartaee_web_services_client_2_0.xsd",
            "https://www.w3.org/2001/xml.xsd", "schema/xml.xsd",
            "http://www.w3.org/2001/xml.xsd", "schema/xml.xsd");

    private static final DOMImplementationLS LS = domLs();
    private static Schema schema;

    private static DOMImplementationLS domLs() {
        try {
            return (DOMImplementationLS) DOMImplementationRegistry.newInstance().getDOMImplementation("LS");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDK's DOM Load and Save implementation is missing", e);
        }
    }

    @BeforeAll
    static void loadSchema() throws SAXException {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        // nothing may be fetched: a location the resolver does not map fails instead
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setResourceResolver(new ClassPathSchemas());
        schema = factory.newSchema(new StreamSource(ClassPathSchemas.url("connector_2_1.xsd").toExternalForm()));
    }

    private static void validate(String xml) throws SAXException, IOException {
        Validator validator = schema.newValidator();
        validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        validator.validate(new StreamSource(new StringReader(xml), RA_XML.toUri().toString()));
    }

    private static String raXml() throws IOException {
        assertThat(RA_XML).as("ra.xml filtered by process-resources").exists();
        return Files.readString(RA_XML);
    }

    @Test
    void theFilteredRaXmlIsValidAgainstConnectors21() throws Exception {
        String xml = raXml();
        assertThat(xml).as("the build put the version in").doesNotContain("${");
        validate(xml);
    }

    /** The schema is strict enough to catch what a server would refuse: each corrupted copy fails. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "elements out of order | <vendor-name>Tern</vendor-name> | ''"
                + " | <license> | <vendor-name>Tern</vendor-name><license> | vendor-name",
        "config-property type outside the allowed ones | <config-property-type>java.lang.String<"
                + " | <config-property-type>java.lang.Object< | '' | '' | java.lang.Object",
        "transaction support misspelled | <transaction-support>XATransaction<"
                + " | <transaction-support>XA< | '' | '' | XA",
        "an element the schema does not know | <resourceadapter-class>"
                + " | <pool-size>5</pool-size><resourceadapter-class> | '' | '' | pool-size",
        "another connectors version | version=\"2.1\" | version=\"2.0\" | '' | '' | 2.0",
        "a required element missing | <messagelistener-type>jakarta.jms.MessageListener</messagelistener-type>"
                + " | '' | '' | '' | messagelistener-type",
    })
    void aCorruptedCopyIsRejected(String what, String from, String to, String from2, String to2, String named)
            throws Exception {
        String xml = raXml();
        assertThat(xml).contains(from);
        String corrupted = xml.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to));
        if (!from2.isEmpty()) {
            corrupted = corrupted.replaceFirst(Pattern.quote(from2), Matcher.quoteReplacement(to2));
        }
        String bad = corrupted;
        assertThatThrownBy(() -> validate(bad)).as(what).isInstanceOf(SAXParseException.class)
                .hasMessageContaining(named);
    }

    /** Resolves the schema locations of {@link #LOCATIONS} to the class path; refuses every other one. */
    private static final class ClassPathSchemas implements LSResourceResolver {
        static URL url(String location) {
            String resource = LOCATIONS.get(location);
            if (resource == null) {
                throw new IllegalStateException("schema location " + location + " is not on the test class path;"
                        + " add it to ra/pom.xml's descriptor-schemas and RaXmlSchemaTest.LOCATIONS");
            }
            URL url = RaXmlSchemaTest.class.getClassLoader().getResource(resource);
            if (url == null) {
                throw new IllegalStateException(resource + " is missing from the test class path: run the build's"
                        + " generate-test-resources phase (maven-dependency-plugin descriptor-schemas)");
            }
            return url;
        }

        @Override
        public LSInput resolveResource(String type, String namespace, String publicId, String systemId,
                String baseUri) {
            URL url = url(systemId);
            LSInput input = LS.createLSInput();
            input.setPublicId(publicId);
            input.setSystemId(url.toExternalForm());
            input.setBaseURI(baseUri);
            try {
                input.setByteStream(url.openStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return input;
        }
    }
}

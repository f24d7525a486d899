package io.tern.examples.ee;

import static org.assertj.core.api.Assertions.assertThat;

import io.tern.jms.client.TernConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scenarios against a broker outside WildFly ({@link OutsideBroker}, started before Arquillian deploys), and
 * the one only an outside broker allows: it stops and starts again while the MDB is deployed.
 */
@ExtendWith({OutsideBroker.class, ArquillianExtension.class})
class OutsideBrokerIT extends OrderScenarios {

    @Override
    String brokerUrl() {
        return OutsideBroker.url();
    }

    @Test
    void deliveryResumesAfterTheBrokerRestartsWithoutRedeploying() throws Exception {
        String before = newId("before-restart");
        assertThat(shop.place(before, "kettle", 1, 0).status()).isEqualTo(202);
        await().until(() -> shop.rows(before).size() == 1);

        OutsideBroker.restart();

        // A message sent by a plain client once the broker is back: the MDB's activation must have reconnected.
        String direct = newId("after-restart");
        try (Connection c = new TernConnectionFactory(brokerUrl()).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Message m = s.createTextMessage("teapot");
            m.setStringProperty(Order.ID, direct);
            m.setIntProperty(Order.QUANTITY, 1);
            m.setIntProperty(Order.FAIL_DELIVERIES, 0);
            s.createProducer(s.createQueue(OrderSender.QUEUE)).send(m);
        }
        await().until(() -> shop.rows(direct).size() == 1);

        // And through the application: its pooled connections to the old broker are replaced, not reused.
        String viaShop = newId("shop-after-restart");
        await().until(() -> shop.place(viaShop, "cup", 1, 0).status() == 202);
        await().until(() -> shop.rows(viaShop).size() == 1);
        assertThat(shop.rows(viaShop)).containsExactly(viaShop + " cup 1 1");
    }
}

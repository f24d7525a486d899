package io.tern.examples.ee;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The example application's HTTP interface, as a test calls it: {@code http://127.0.0.1:(8080+offset)/shop}. */
final class Shop {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI orders = URI.create("http://127.0.0.1:" + (8080 + Integer.getInteger("tern.it.portOffset"))
            + "/shop/orders");

    /** What {@code POST /shop/orders} answered. */
    record Answer(int status, String body) {
    }

    Answer place(String id, String item, int quantity, int failDeliveries) throws IOException, InterruptedException {
        String form = "id=" + encode(id) + "&item=" + encode(item) + "&quantity=" + quantity + "&failDeliveries="
                + failDeliveries;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(orders).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** The rows stored for order {@code id}, each {@code id item quantity delivery}. */
    List<String> rows(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(orders.resolve("orders/" + encode(id)))
                .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().lines().toList();
    }

    /** What the audit and price listeners received of message {@code id}, each {@code listener thread}. */
    List<String> receipts(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(orders.resolve("receipts/" + encode(id)))
                .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().lines().toList();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

package io.tern.examples.ee;

/**
 * An order as the shop sends it to the {@code orders} queue.
 *
 * @param id             the order's id, chosen by the caller
 * @param item           what is ordered
 * @param quantity       how many; below 1 the order is invalid and {@link OrderSender} rolls its send back
 * @param failDeliveries a fault to inject, for trying redelivery out: {@link OrderListener} fails on this many
 *                       deliveries before it accepts the order (0 in normal use)
 */
public record Order(String id, String item, int quantity, int failDeliveries) {

    /** The message properties an order travels in (its item is the text body). */
    static final String ID = "orderId";
    static final String QUANTITY = "quantity";
    static final String FAIL_DELIVERIES = "failDeliveries";
}

package io.tern.examples.ee;

import jakarta.ejb.EJB;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The shop's HTTP face: {@code POST /shop/orders} (form fields {@code item}, {@code quantity}, optional {@code id}
 * and {@code failDeliveries}) places an order and answers 202 with its id, or 400 when it is invalid;
 * {@code GET /shop/orders/ID} lists the rows stored for it, one per line: {@code id item quantity delivery};
 * {@code GET /shop/receipts/ID} lists what {@link AuditListener} and {@link PriceListener} received of message
 * {@code ID}, one line each: {@code listener thread}.
 */
@Path("/")
public class OrderResource {
    @EJB
    private OrderSender sender;

    @EJB
    private Orders orders;

    @EJB
    private Receipts receipts;

    @POST
    @Path("orders")
    @Produces(MediaType.TEXT_PLAIN)
    public Response place(@FormParam("id") String id, @FormParam("item") String item,
            @FormParam("quantity") int quantity, @FormParam("failDeliveries") @DefaultValue("0") int failDeliveries) {
        Order order = new Order(id == null || id.isBlank() ? UUID.randomUUID().toString() : id,
                item == null ? "" : item, quantity, failDeliveries);
        try {
            sender.place(order);
            return Response.accepted(order.id()).build();
        } catch (InvalidOrderException e) {
            return Response.status(Response.Status.BAD_REQUEST).entity(e.getMessage()).build();
        }
    }

    @GET
    @Path("orders/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    public String rows(@PathParam("id") String id) {
        return orders.find(id).stream()
                .map(r -> r.id() + " " + r.item() + " " + r.quantity() + " " + r.delivery() + "\n")
                .collect(Collectors.joining());
    }

    /** {@code GET /shop/receipts/ID}: what the other listeners received of message {@code ID}. */
    @GET
    @Path("receipts/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    public String receipts(@PathParam("id") String id) {
        return receipts.find(id).stream().map(r -> r + "\n").collect(Collectors.joining());
    }
}

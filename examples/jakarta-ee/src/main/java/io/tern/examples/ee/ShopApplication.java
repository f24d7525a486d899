package io.tern.examples.ee;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Jakarta REST at the application's root: {@code /shop/orders}. */
@ApplicationPath("/")
public class ShopApplication extends Application {
}

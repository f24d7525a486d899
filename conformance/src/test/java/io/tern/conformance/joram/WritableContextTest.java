package io.tern.conformance.joram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Hashtable;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameAlreadyBoundException;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import org.junit.jupiter.api.Test;

class WritableContextTest {

    @Test
    void whatOneContextBindsAnotherLooksUpUntilUnbound() throws NamingException {
        Context writer = new WritableContextFactory().getInitialContext(null);
        Context reader = initialContext();
        writer.rebind("wct-factory", "value");

        assertThat(reader.lookup("wct-factory")).isEqualTo("value");

        writer.unbind("wct-factory");
        assertThatThrownBy(() -> reader.lookup("wct-factory")).isInstanceOf(NameNotFoundException.class)
                .hasMessageContaining("wct-factory");
    }

    @Test
    void bindRefusesATakenNameAndRebindReplacesIt() throws NamingException {
        Context ctx = WritableContext.empty();
        ctx.bind("q", "first");

        assertThatThrownBy(() -> ctx.bind("q", "second")).isInstanceOf(NameAlreadyBoundException.class);
        ctx.rebind("q", "second");
        assertThat(ctx.lookup("q")).isEqualTo("second");
    }

    @Test
    void unbindingANameNotBoundSucceeds() throws NamingException {
        Context ctx = WritableContext.empty();

        ctx.unbind("never-bound");

        assertThat(ctx.list("").hasMore()).isFalse();
    }

    @Test
    void listBindingsShowsWhatIsBound() throws NamingException {
        Context ctx = WritableContext.empty();
        ctx.bind("a", 1);

        var bindings = ctx.listBindings("");

        assertThat(bindings.hasMore()).isTrue();
        var binding = bindings.next();
        assertThat(binding.getName()).isEqualTo("a");
        assertThat(binding.getObject()).isEqualTo(1);
        assertThat(bindings.hasMore()).isFalse();
    }

    private static Context initialContext() throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, WritableContextFactory.class.getName());
        return new InitialContext(env);
    }
}

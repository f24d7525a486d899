package io.tern.broker.launcher;

import io.tern.broker.management.BrokerControl;
import java.io.IOException;
import java.io.PrintStream;
import java.net.MalformedURLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code ./tern xa [--jmx HOST:PORT | --jmx-url URL] [--name BROKER] list | commit XID | rollback XID}: lists the
 * in-doubt XA branches of a running broker, or commits or rolls one back by hand, through the broker's JMX control
 * (see docs/broker.md: the broker must be started with a JMX port).
 *
 * <p>Exit codes: 0 done, 1 the broker refused or could not be reached, 2 a bad command line.
 */
public final class XaTool {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            Usage: tern xa [--jmx HOST:PORT | --jmx-url URL] [--name BROKER] COMMAND
              list            every in-doubt (prepared) XA branch: xid, age, connection, the messages it holds;
                              then the branches decided by hand that the transaction manager has not forgotten
              commit XID      commit the in-doubt branch XID (formatId:gtrid:bqual, as listed) by hand
              rollback XID    roll it back by hand (its consumed messages come back, its sends are dropped)
              --jmx HOST:PORT the broker's JMX port (default 127.0.0.1:1099; start the broker with
                              -Dcom.sun.management.jmxremote.port=PORT, see docs/broker.md)
              --jmx-url URL   a full JMX service URL instead
              --name BROKER   the broker's name, when the JVM runs several brokers
            A decision by hand is heuristic: the transaction manager later gets XA_HEURCOM or XA_HEURRB.""";

    private final PrintStream out;
    private final PrintStream err;

    XaTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new XaTool(System.out, System.err).run(args));
    }

    int run(String[] args) {
        String url = null;
        String jmx = "127.0.0.1:1099";
        String name = null;
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    out.println(USAGE_TEXT);
                    return OK;
                }
                case "--jmx", "--jmx-url", "--name" -> {
                    if (i + 1 >= args.length) {
                        return usage("option " + arg + " needs a value");
                    }
                    String value = args[++i];
                    if (arg.equals("--jmx")) {
                        jmx = value;
                    } else if (arg.equals("--jmx-url")) {
                        url = value;
                    } else {
                        name = value;
                    }
                }
                default -> {
                    if (arg.startsWith("--")) {
                        return usage("unknown option '" + arg + "'");
                    }
                    command.add(arg);
                }
            }
        }
        if (command.isEmpty()) {
            return usage("no command");
        }
        boolean list = command.get(0).equals("list");
        boolean decide = command.get(0).equals("commit") || command.get(0).equals("rollback");
        if (!list && !decide) {
            return usage("unknown command '" + command.get(0) + "'");
        }
        if (command.size() != (list ? 1 : 2)) {
            return usage(list ? "list takes no argument" : command.get(0) + " takes one XID");
        }
        String target = url != null ? url : "service:jmx:rmi:///jndi/rmi://" + jmx + "/jmxrmi";
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(target))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName broker = broker(server, name);
            if (list) {
                String[] lines = (String[]) server.invoke(broker, "describeInDoubtBranches", new Object[0],
                        new String[0]);
                if (lines.length == 0) {
                    out.println("no in-doubt XA branches");
                }
                for (String line : lines) {
                    out.println(line);
                }
            } else {
                String operation = command.get(0).equals("commit") ? "commitInDoubtBranch" : "rollbackInDoubtBranch";
                out.println(server.invoke(broker, operation, new Object[] {command.get(1)},
                        new String[] {String.class.getName()}));
            }
            return OK;
        } catch (MalformedURLException e) {
            return usage("'" + target + "' is not a JMX service URL: " + e.getMessage());
        } catch (RuntimeMBeanException e) {
            err.println("tern xa: the broker refused: " + e.getCause().getMessage());
            return FAILED;
        } catch (IOException e) {
            err.println("tern xa: cannot reach the broker's JMX at " + target + ": " + e
                    + " (is it started with -Dcom.sun.management.jmxremote.port? see docs/broker.md)");
            return FAILED;
        } catch (JMException | IllegalStateException e) {
            err.println("tern xa: " + e.getMessage());
            return FAILED;
        }
    }

    /** The broker's control: the one named, or the only one the JVM runs. */
    private static ObjectName broker(MBeanServerConnection server, String name) throws JMException, IOException {
        if (name != null) {
            ObjectName n = BrokerControl.objectName(name);
            if (!server.isRegistered(n)) {
                throw new IllegalStateException("no broker named '" + name + "' there");
            }
            return n;
        }
        Set<ObjectName> all = server.queryNames(new ObjectName("io.tern:type=Broker,*"), null);
        if (all.size() != 1) {
            throw new IllegalStateException(all.isEmpty() ? "no Tern broker is registered there"
                    : "several brokers run there (" + all + "); name one with --name");
        }
        return all.iterator().next();
    }

    private int usage(String problem) {
        err.println("tern xa: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }
}

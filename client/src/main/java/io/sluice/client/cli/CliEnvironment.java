package io.sluice.client.cli;

import java.io.InputStream;
import java.util.function.Consumer;

/**
 * What the commands take from their process: the clients, standard input (for {@code produce}),
 * and a way to be told of Ctrl-C (for {@code consume}, which then stops cleanly). Tests supply
 * their own.
 *
 * @param clients     makes the admin, producer and consumer clients
 * @param stdin       standard input
 * @param onInterrupt registers an action to run on Ctrl-C (a JVM shutdown hook in the real CLI)
 */
public record CliEnvironment(ClientFactory clients, InputStream stdin, Consumer<Runnable> onInterrupt) {
    /** The real process: gRPC clients, {@code System.in}, a shutdown hook. */
    public static CliEnvironment standard() {
        return new CliEnvironment(ClientFactory.standard(), System.in,
                action -> Runtime.getRuntime().addShutdownHook(new Thread(action, "sluice-cli-interrupt")));
    }
}

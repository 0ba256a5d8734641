package io.sluice.jepsen.net;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/** How a run places its nodes on the network ({@code --network}). */
public enum NetworkChoice {
    /** Namespaces when root and {@code ip netns} work, otherwise loopback (saying why). */
    AUTO,
    /** Namespaces or fail. */
    NAMESPACES,
    /** Loopback even when namespaces would work. */
    LOOPBACK;

    /** The command-line name. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line name. */
    public static NetworkChoice of(String name) {
        for (NetworkChoice choice : values()) {
            if (choice.wireName().equals(name)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("--network takes auto, namespaces or loopback, got '" + name + "'");
    }

    /** Opens the network this choice asks for, for {@code nodes} nodes. */
    public Network open(int nodes, Consumer<String> log) throws IOException {
        return switch (this) {
            case LOOPBACK -> new LoopbackNetwork("--network loopback");
            case NAMESPACES -> NamespaceNetwork.create(nodes, log);
            case AUTO -> {
                Optional<String> unsupported = NamespaceNetwork.unsupportedReason();
                if (unsupported.isPresent()) {
                    yield new LoopbackNetwork(unsupported.get());
                }
                try {
                    yield NamespaceNetwork.create(nodes, log);
                } catch (IOException e) {
                    yield new LoopbackNetwork("building network namespaces failed: " + e.getMessage());
                }
            }
            default -> throw new IllegalStateException("unknown network choice " + this);
        };
    }
}

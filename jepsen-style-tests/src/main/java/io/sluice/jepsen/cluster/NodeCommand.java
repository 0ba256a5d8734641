package io.sluice.jepsen.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line that starts one node, given its place. The harness prefixes it with the
 * network's launch prefix and passes {@code SLUICE_JAVA_OPTS}; a node must print a line
 * {@code ready} on stdout once it serves clients. Tests substitute stand-in processes.
 */
@FunctionalInterface
public interface NodeCommand {
    /** The command words for this node. */
    List<String> command(ClusterNode node);

    /**
     * {@code <home>/bin/sluice server --config <node.properties>}: the real node, with the JVM
     * flags {@code bin/sluice} takes from {@code bin/jvm-options} and {@code bin/server-jvm-options}.
     */
    static NodeCommand sluiceServer(Path sluiceHome) {
        Path launcher = sluiceHome.resolve("bin/sluice");
        return node -> List.of(launcher.toString(), "server", "--config", node.configFile().toString());
    }
}

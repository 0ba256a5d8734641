package io.sluice.broker.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of a running local cluster, one line per node: {@code <node id> <pid> <config file>}.
 * Written atomically (temp file and rename) after each node starts, so {@code stop} finds every
 * process even when {@code start} failed half-way.
 */
record ClusterState(List<NodeProcess> nodes) {
    /** One started node. */
    record NodeProcess(int nodeId, long pid, String configFile) {
    }

    ClusterState {
        nodes = List.copyOf(nodes);
    }

    static ClusterState read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new ClusterState(List.of());
        }
        List<NodeProcess> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.strip().split(" ", 3);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (parts.length != 3) {
                throw new IOException("malformed line in " + file + ": '" + line + "'");
            }
            try {
                nodes.add(new NodeProcess(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), parts[2]));
            } catch (NumberFormatException e) {
                throw new IOException("malformed line in " + file + ": '" + line + "'", e);
            }
        }
        return new ClusterState(nodes);
    }

    static void write(Path file, ClusterState state) throws IOException {
        StringBuilder text = new StringBuilder("# node pid config-file; written by 'sluice cluster start'\n");
        for (NodeProcess node : state.nodes()) {
            text.append(node.nodeId()).append(' ').append(node.pid()).append(' ').append(node.configFile())
                    .append('\n');
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

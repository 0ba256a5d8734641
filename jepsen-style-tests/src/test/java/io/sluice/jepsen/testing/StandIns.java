package io.sluice.jepsen.testing;

import io.sluice.jepsen.cluster.ClusterNode;
import io.sluice.jepsen.cluster.NodeCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Launches {@link EchoNode}s the way the harness launches real nodes: a script standing in for
 * {@code bin/sluice} that execs a JVM with {@code $SLUICE_JAVA_OPTS} (so the JVM's PID is the
 * launched process's PID, as with {@code bin/sluice}), and a client for the echo protocol.
 */
public final class StandIns {
    private StandIns() {
    }

    /** Writes {@code dir/standin.sh} and returns the command that starts a stand-in node with it. */
    public static NodeCommand command(Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path script = dir.resolve("standin.sh");
        Files.writeString(script, "#!/bin/sh\n# stands in for bin/sluice in tests\nexec '" + java
                + "' -Xmx48m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC $SLUICE_JAVA_OPTS -cp '"
                + classes() + "' " + EchoNode.class.getName() + " \"$@\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return node -> List.of(script.toString(), "server", "--config", node.configFile().toString());
    }

    /** Where the test classes are: the stand-in needs nothing else. */
    private static String classes() throws IOException {
        try {
            return Path.of(EchoNode.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate the test classes", e);
        }
    }

    /** Sends one command line to a node and returns its answer; throws on refusal or time-out. */
    public static String ask(ClusterNode node, String line, int timeoutMs) throws IOException {
        return ask(node.host(), node.clientPort(), line, timeoutMs);
    }

    /** Sends one command line to host:port and returns the answer. */
    public static String ask(String host, int port, String line, int timeoutMs) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            out.println(line);
            String answer = in.readLine();
            if (answer == null) {
                throw new IOException("the node closed the connection");
            }
            return answer;
        }
    }
}

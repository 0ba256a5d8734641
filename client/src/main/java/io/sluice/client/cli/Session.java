package io.sluice.client.cli;

import io.sluice.client.admin.Admin;
import io.sluice.client.admin.AdminConfig;
import io.sluice.client.common.ClientConfig;
import io.sluice.client.common.ConfigException;
import io.sluice.client.errors.NetworkException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.internal.network.HostPort;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One command run: its output streams, the cluster address, the time it may take, and client
 * settings from {@code --command-config}. Builds the settings every client of the run gets, and
 * waits for futures within the command's time. Not thread-safe.
 */
final class Session implements AutoCloseable {
    /** The dev node's client address (NodeConfigParser's default listen address). */
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    static final long DEFAULT_TIMEOUT_MS = 30_000;
    private static final long PROBE_TIMEOUT_MS = 3_000;

    final PrintStream out;
    final PrintStream err;
    final CliEnvironment env;
    final String bootstrap;
    final long timeoutMs;
    private final Map<String, Object> extra;
    private Admin admin;

    Session(Args args, PrintStream out, PrintStream err, CliEnvironment env) throws UsageException {
        this.out = out;
        this.err = err;
        this.env = env;
        this.bootstrap = args.value("bootstrap-server", DEFAULT_BOOTSTRAP);
        this.timeoutMs = args.longValue("command-timeout-ms", DEFAULT_TIMEOUT_MS, 1);
        this.extra = loadCommandConfig(args.value("command-config", null));
    }

    private static Map<String, Object> loadCommandConfig(String file) throws UsageException {
        Map<String, Object> settings = new LinkedHashMap<>();
        if (file == null) {
            return settings;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UsageException("cannot read --command-config " + file + ": " + e.getMessage());
        }
        p.stringPropertyNames().forEach(k -> settings.put(k, p.getProperty(k)));
        return settings;
    }

    /**
     * Fails fast when no bootstrap address accepts a TCP connection (nothing listens there), rather
     * than retrying for the whole command timeout. A node that does accept is left to the clients.
     *
     * @throws NetworkException naming every address and why it refused
     * @throws UsageException when an address is not host:port
     */
    void probe() throws UsageException {
        List<HostPort> addresses;
        try {
            addresses = HostPort.parseAll(List.of(bootstrap.split(",")));
        } catch (ConfigException e) {
            throw new UsageException("--bootstrap-server: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        int connectTimeoutMs = (int) Math.min(PROBE_TIMEOUT_MS, timeoutMs);
        for (HostPort address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address.host(), address.port()), connectTimeoutMs);
                return;
            } catch (IOException e) {
                problems.add(address + ": " + e.getMessage());
            }
        }
        throw new NetworkException("cannot reach any bootstrap server (" + String.join("; ", problems) + ")", null);
    }

    /** Settings every client of this run shares: the bootstrap address, request timeouts, --command-config. */
    Map<String, Object> clientSettings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(ClientConfig.BOOTSTRAP_SERVERS, bootstrap);
        s.put(ClientConfig.REQUEST_TIMEOUT_MS, (int) Math.min(30_000, timeoutMs));
        s.put(ClientConfig.CLIENT_ID, "sluice-cli");
        s.putAll(extra);
        return s;
    }

    /**
     * The run's admin client, whose operations give up after the command's time; made on first
     * use, after checking that the cluster is reachable at all ({@link #probe}), and closed with
     * the session.
     */
    Admin admin() throws UsageException {
        if (admin == null) {
            probe();
            Map<String, Object> s = clientSettings();
            s.put(AdminConfig.DEFAULT_API_TIMEOUT_MS, timeoutMs);
            admin = env.clients().admin(s);
        }
        return admin;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
    }

    /** Waits for {@code future} within the command's time (plus a margin: the operation times out first). */
    <T> T await(CompletableFuture<T> future) throws ExecutionException, InterruptedException {
        try {
            return future.get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ExecutionException(new SluiceTimeoutException(
                    "no answer within " + timeoutMs + " ms (--command-timeout-ms)"));
        }
    }
}

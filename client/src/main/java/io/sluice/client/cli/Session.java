package io.sluice.client.cli;

import io.sluice.client.admin.Admin;
import io.sluice.client.admin.AdminConfig;
import io.sluice.client.common.ClientConfig;
import io.sluice.client.errors.SluiceTimeoutException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
final class Session {
    /** The dev node's client address (NodeConfigParser's default listen address). */
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    static final long DEFAULT_TIMEOUT_MS = 30_000;

    final PrintStream out;
    final PrintStream err;
    final CliEnvironment env;
    final String bootstrap;
    final long timeoutMs;
    private final Map<String, Object> extra;

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

    /** Settings every client of this run shares: the bootstrap address, request timeouts, --command-config. */
    Map<String, Object> clientSettings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(ClientConfig.BOOTSTRAP_SERVERS, bootstrap);
        s.put(ClientConfig.REQUEST_TIMEOUT_MS, (int) Math.min(30_000, timeoutMs));
        s.put(ClientConfig.CLIENT_ID, "sluice-cli");
        s.putAll(extra);
        return s;
    }

    /** An admin client whose operations give up after the command's time. */
    Admin admin() {
        Map<String, Object> s = clientSettings();
        s.put(AdminConfig.DEFAULT_API_TIMEOUT_MS, timeoutMs);
        return env.clients().admin(s);
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

package io.sluice.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Argument parsing, help texts and usage errors: none of these talks to a cluster. */
class SluiceCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        CliEnvironment env = new CliEnvironment(ClientFactory.standard(), new ByteArrayInputStream(new byte[0]),
                action -> { });
        return SluiceCli.with(env).run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionPrintsTheBuildVersion() {
        assertEquals(0, run("version"));
        assertTrue(out().matches("(?s)sluice \\d+\\.\\d+\\.\\d+.*\njava .*"), out());
    }

    @Test
    void unknownCommandsAndStrayArgumentsAreUsageErrors() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err().contains("unknown command 'frobnicate'"));
        assertEquals(2, run("version", "extra"));
        assertEquals(2, run());
    }

    @Test
    void everyCommandAndSubcommandHasHelp() {
        for (List<String> command : List.of(List.of("topics", "create"), List.of("topics", "list"),
                List.of("topics", "describe"), List.of("topics", "delete"), List.of("topics", "alter"),
                List.of("produce"), List.of("consume"), List.of("groups", "list"), List.of("groups", "describe"),
                List.of("groups", "delete"), List.of("groups", "reset-offsets"), List.of("cluster", "describe"))) {
            out.reset();
            List<String> withHelp = new ArrayList<>(command);
            withHelp.add("--help");
            String[] args = withHelp.toArray(new String[0]);
            assertEquals(0, run(args), command.toString());
            assertTrue(out().startsWith("Usage: sluice " + String.join(" ", command)), out());
            assertTrue(out().contains("--bootstrap-server HOST:PORT") && out().contains("default 127.0.0.1:9092"),
                    out());
        }
        out.reset();
        assertEquals(0, run("topics", "--help"));
        assertTrue(out().contains("create") && out().contains("alter"), out());
        assertEquals(0, run("produce", "--help"));
        assertTrue(out().contains("--key-separator S") && out().contains("--acks all|leader|none"), out());
        assertEquals(0, run("consume", "--help"));
        assertTrue(out().contains("--from-beginning") && out().contains("--print-offsets"), out());
    }

    @Test
    void badArgumentsExitTwoWithAPointerToHelp() {
        assertEquals(2, run("topics"));
        assertTrue(err().contains("Usage: sluice topics"), err());
        err.reset();
        assertEquals(2, run("topics", "make"));
        assertTrue(err().contains("unknown subcommand 'make'"), err());
        err.reset();
        assertEquals(2, run("topics", "create", "--topic", "t", "--partitons", "3"));
        assertTrue(err().contains("sluice topics create: unknown option --partitons"), err());
        assertTrue(err().contains("Run 'sluice topics create --help' for usage."), err());
        err.reset();
        assertEquals(2, run("topics", "create", "--partitions", "3"));
        assertTrue(err().contains("--topic is required"), err());
        err.reset();
        assertEquals(2, run("topics", "create", "--topic", "t", "--partitions", "many"));
        assertTrue(err().contains("--partitions must be a number, got 'many'"), err());
        err.reset();
        assertEquals(2, run("consume", "--topic", "t", "--from-beginning", "--offset", "3"));
        assertTrue(err().contains("--from-beginning and --offset cannot be combined"), err());
        err.reset();
        assertEquals(2, run("consume", "--topic", "t", "--group", "g", "--partition", "0"));
        assertTrue(err().contains("--partition cannot be used with --group"), err());
        err.reset();
        assertEquals(2, run("groups", "reset-offsets", "--group", "g", "--topic", "t"));
        assertTrue(err().contains("say where to"), err());
        err.reset();
        assertEquals(2, run("produce", "--topic", "t", "--acks", "some"));
        assertTrue(err().contains("--acks must be all, leader or none"), err());
        err.reset();
        assertEquals(2, run("topics", "alter", "--topic", "t"));
        assertTrue(err().contains("nothing to change"), err());
    }

    @Test
    void argsParseValuesFlagsRepeatsAndEquals() throws Exception {
        Args.Spec spec = new Args.Spec(Set.of("topic", "n"), Set.of("dry-run"), Set.of("config"));
        Args a = Args.parse(List.of("--topic=t", "--config", "a=1", "--config", "b=2", "--dry-run", "--n", "7"), spec);
        assertEquals("t", a.required("topic"));
        assertEquals(Map.of("a", "1", "b", "2"), a.pairs("config"));
        assertTrue(a.flag("dry-run"));
        assertEquals(7, a.intValue("n", 0, 1));
        assertThrows(UsageException.class, () -> Args.parse(List.of("--topic", "a", "--topic", "b"), spec));
        assertThrows(UsageException.class, () -> Args.parse(List.of("--topic"), spec));
        assertThrows(UsageException.class, () -> Args.parse(List.of("positional"), spec));
        assertThrows(UsageException.class, () -> Args.parse(List.of("--dry-run=yes"), spec));
        assertThrows(UsageException.class, () -> Args.parse(List.of("--config", "novalue"), spec).pairs("config"));
        assertThrows(UsageException.class, () -> Args.parse(List.of("--n", "0"), spec).intValue("n", 1, 1));
    }
}

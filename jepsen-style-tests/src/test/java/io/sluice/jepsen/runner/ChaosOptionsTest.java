package io.sluice.jepsen.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.jepsen.fault.FaultKind;
import io.sluice.jepsen.net.NetworkChoice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line of {@code sluice chaos}: the issue's names, defaults, errors, and the replay command. */
class ChaosOptionsTest {
    @Test
    void theIssuesCommandLineParses() {
        ChaosOptions options = ChaosOptions.parse(List.of("--nodes", "5", "--time-limit", "300", "--faults",
                "kill,pause,partition", "--seed", "42", "--out", "runs/a"));
        assertEquals(5, options.nodes());
        assertEquals(300_000, options.timeLimitMs());
        assertEquals(List.of(FaultKind.KILL, FaultKind.PAUSE, FaultKind.PARTITION), options.faults());
        assertEquals(42, options.seed());
        assertEquals(Path.of("runs/a"), options.out());
        assertEquals(10_000, options.intervalMs());
        assertEquals(NetworkChoice.AUTO, options.network());
        assertEquals("bin/sluice chaos --nodes 5 --time-limit 300 --faults kill,pause,partition --seed 42 "
                + "--interval 10 --recovery 20 --max-concurrent 2 --network auto", options.replayCommand());
    }

    @Test
    void defaultsAndARandomSeedThatTheReplayCommandFixes() {
        ChaosOptions options = ChaosOptions.parse(List.of());
        assertEquals(5, options.nodes());
        assertEquals(60_000, options.timeLimitMs());
        assertNull(options.out());
        assertFalse(options.keepData());
        assertTrue(options.seed() >= 0);
        assertTrue(options.replayCommand().contains("--seed " + options.seed()));
    }

    @Test
    void theReplayArgumentsParseBackToTheSameRun() {
        ChaosOptions options = ChaosOptions.parse(List.of("--nodes", "3", "--time-limit", "7.5", "--faults",
                "storage,clock", "--seed", "-3", "--interval", "0.5", "--recovery", "0", "--max-concurrent", "3",
                "--network", "loopback", "--workload", "queue", "--workload-option", "partitions=4",
                "--override", "min.insync.replicas=1", "--keep-data", "--out", "x"));
        assertEquals(List.of(FaultKind.TRUNCATE, FaultKind.BITFLIP, FaultKind.LOSE_UNFLUSHED, FaultKind.CLOCK),
                options.faults());
        assertEquals(Map.of("partitions", "4"), options.workloadOptions());
        List<String> again = new ArrayList<>(options.replayArguments());
        again.addAll(List.of("--keep-data", "--out", "x"));
        assertEquals(options, ChaosOptions.parse(again));
        assertTrue(options.replayCommand().contains("--time-limit 7.5 "), options.replayCommand());
    }

    @Test
    void badArgumentsAreRefusedWithTheReason() {
        assertMessage("unknown argument '--speed'", "--speed", "3");
        assertMessage("--nodes needs a value", "--nodes");
        assertMessage("--nodes takes a whole number, got 'five'", "--nodes", "five");
        assertMessage("--nodes must be 1-9, got 10", "--nodes", "10");
        assertMessage("unknown fault 'meteor'", "--faults", "kill,meteor");
        assertMessage("--seed is given twice", "--seed", "1", "--seed", "2");
        assertMessage("--override takes key=value, got 'x'", "--override", "x");
        assertMessage("--network takes auto, namespaces or loopback", "--network", "cloud");
        assertMessage("--time-limit takes seconds", "--time-limit", "soon");
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChaosOptions.parse(List.of(args)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

package io.sluice.metastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each case runs a child JVM that sees 2 processors (the machines this project runs on), because the
 * JDK fixes CompletableFuture's default executor once per JVM.
 */
class AsyncStagesTest {
    /** The child: optionally calls {@link AsyncStages#usePooledThreads()}, then prints where stages run. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            if (args.length > 0 && args[0].equals("use")) {
                AsyncStages.usePooledThreads();
            }
            String thread = CompletableFuture.supplyAsync(() -> Thread.currentThread().getName()).get();
            System.out.println(AsyncStages.pooled() + " " + thread);
        }
    }

    @Test
    void withoutTheCallEachStageGetsANewThreadOnTwoProcessors() throws Exception {
        String out = probe(List.of(), "plain");
        assertEquals("false", out.split(" ")[0], out);
    }

    @Test
    void theCallPutsStagesOnTheCommonPool() throws Exception {
        String out = probe(List.of(), "use");
        assertEquals("true", out.split(" ")[0], out);
        assertTrue(out.contains("ForkJoinPool.commonPool-worker"), out);
    }

    @Test
    void anOperatorsSettingWins() throws Exception {
        String out = probe(List.of("-D" + AsyncStages.PARALLELISM_PROPERTY + "=1"), "use");
        assertEquals("false", out.split(" ")[0], out);
    }

    private static String probe(List<String> jvmFlags, String mode) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:ActiveProcessorCount=2");
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName(), mode));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the probe JVM did not finish");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } finally {
            p.destroyForcibly();
        }
    }
}

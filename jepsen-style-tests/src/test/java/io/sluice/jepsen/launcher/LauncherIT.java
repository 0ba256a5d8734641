package io.sluice.jepsen.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the real {@code bin/sluice} as a user would, after the build has packaged every module
 * (failsafe runs this in the integration-test phase).
 */
class LauncherIT {
    private static final Path HOME = Path.of(System.getProperty("sluice.home", "../")).toAbsolutePath().normalize();

    record Result(int exitCode, String out, String err) {
    }

    private static Result sluice(Map<String, String> env, String... args) throws Exception {
        return run(HOME.resolve("bin/sluice"), env, args);
    }

    private static Result run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Path out = Files.createTempFile("sluice-out", ".txt");
        Path err = Files.createTempFile("sluice-err", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "bin/sluice did not finish");
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Result result = sluice(Map.of(), "--help");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("Commands:") && result.out().contains("version"), result.out());
    }

    @Test
    void versionRunsTheJavaSideWithItsFlags() throws Exception {
        Result result = sluice(Map.of(), "version");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().startsWith("sluice "), result.out());
        assertEquals("", result.err(), "a clean start warns about nothing");
    }

    @Test
    void unknownCommandsFailWithUsageCode() throws Exception {
        Result result = sluice(Map.of(), "no-such-command");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("unknown command 'no-such-command'"), result.err());
        assertEquals(2, sluice(Map.of()).exitCode());
    }

    @Test
    void checkHistoryJudgesARecordedHistory() throws Exception {
        String doc = Files.readString(HOME.resolve("docs/chaos.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("```json\n", doc.indexOf("### Example")) + "```json\n".length();
        Path history = Files.createTempFile("history", ".jsonl");
        try {
            Files.writeString(history, doc.substring(start, doc.indexOf("```", start)), StandardCharsets.UTF_8);
            Result valid = sluice(Map.of(), "check-history", history.toString());
            assertEquals(0, valid.exitCode(), valid.out() + valid.err());
            assertTrue(valid.out().contains("\"valid\""), valid.out());

            Files.writeString(history, "not json\n", StandardCharsets.UTF_8);
            assertEquals(2, sluice(Map.of(), "check-history", history.toString()).exitCode());
        } finally {
            Files.deleteIfExists(history);
        }
    }

    @Test
    void chaosRefusesAnUnknownWorkloadAndBadUsageBeforeStartingAnything() throws Exception {
        Result help = sluice(Map.of(), "--help");
        assertTrue(help.out().contains("chaos"), help.out());
        Result chaosHelp = sluice(Map.of(), "chaos", "--help");
        assertEquals(0, chaosHelp.exitCode(), chaosHelp.err());
        assertTrue(chaosHelp.out().contains("--time-limit") && chaosHelp.out().contains("--faults"), chaosHelp.out());
        assertTrue(chaosHelp.out().contains("queue"), "the queue workload is listed: " + chaosHelp.out());
        Path out = Files.createTempDirectory("chaos-run");
        try {
            Result run = sluice(Map.of(), "chaos", "--nodes", "3", "--time-limit", "5", "--faults",
                    "kill,pause,partition", "--seed", "42", "--workload", "nosuch", "--out",
                    out.resolve("run").toString());
            assertEquals(2, run.exitCode(), run.out() + run.err());
            assertTrue(run.err().contains("no workload named 'nosuch'; available: queue"), run.err());
            assertTrue(Files.notExists(out.resolve("run")), "nothing was started");
            assertEquals(2, sluice(Map.of(), "chaos", "--nodes", "ten").exitCode());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * The client commands' class data sharing: a run without an archive writes one for its command
     * (this test's first run, or any earlier {@code version} since the build), and the next run maps
     * the CLI's classes from it, with the same output and nothing on standard error. With
     * {@code SLUICE_CDS=off} they come from the jars.
     */
    @Test
    void clientCommandsMapTheirClassesFromTheArchiveOfTheirFirstRun() throws Exception {
        Result first = sluice(Map.of(), "version");
        assertEquals(0, first.exitCode(), first.err());
        List<String> names = fileNames(HOME.resolve("client/target/cds"));
        assertTrue(names.stream().anyMatch(n -> n.matches("version-\\d+\\.jsa")), names.toString());
        Path logs = Files.createTempDirectory("class-load");
        try {
            Result mapped = sluice(Map.of("SLUICE_JAVA_OPTS", classLoadLog(logs, "on")), "version");
            assertEquals(0, mapped.exitCode(), mapped.err());
            assertEquals(first.out(), mapped.out());
            assertEquals("", mapped.err());
            String fromArchive = Files.readString(logs.resolve("on"));
            assertTrue(fromArchive.contains("io.sluice.client.cli.SluiceCli source: shared objects file"), fromArchive);

            Result off = sluice(Map.of("SLUICE_JAVA_OPTS", classLoadLog(logs, "off"), "SLUICE_CDS", "off"), "version");
            assertEquals(first.out(), off.out());
            String fromJars = Files.readString(logs.resolve("off"));
            assertTrue(fromJars.contains("io.sluice.client.cli.SluiceCli source: file:"), fromJars);
        } finally {
            deleteTree(logs);
        }
    }

    /**
     * Two first runs of a command at once, in a copy of the installation with no archive yet: each
     * JVM writes its own temporary file and renames it into place, so both commands succeed with
     * their usual output, one whole archive is left and no temporary file, and the next run maps it.
     */
    @Test
    void twoFirstRunsAtOnceLeaveOneWholeArchive() throws Exception {
        Path home = Files.createTempDirectory("sluice-home");
        try {
            Files.createDirectories(home.resolve("bin/conf"));
            for (String file : List.of("sluice", "jvm-options", "client-jvm-options", "server-jvm-options",
                    "conf/logback-cli.xml")) {
                Files.copy(HOME.resolve("bin").resolve(file), home.resolve("bin").resolve(file),
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
            Path target = Files.createDirectories(home.resolve("client/target"));
            Files.createSymbolicLink(target.resolve("sluice-client.jar"),
                    HOME.resolve("client/target/sluice-client.jar"));
            Files.createSymbolicLink(target.resolve("lib"), HOME.resolve("client/target/lib"));
            Path launcher = home.resolve("bin/sluice");

            List<Process> runs = new ArrayList<>();
            List<Path> outputs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Path out = home.resolve("out-" + i);
                outputs.add(out);
                runs.add(new ProcessBuilder(launcher.toString(), "version").redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start());
            }
            for (Process run : runs) {
                assertTrue(run.waitFor(120, TimeUnit.SECONDS), "bin/sluice version did not finish");
                assertEquals(0, run.exitValue(), Files.readString(outputs.get(runs.indexOf(run))));
            }
            Result reference = sluice(Map.of("SLUICE_CDS", "off"), "version");
            for (Path out : outputs) {
                assertEquals(reference.out(), Files.readString(out), "the usual output and nothing else");
            }
            List<String> left = fileNames(target.resolve("cds"));
            assertEquals(1, left.size(), left.toString());
            assertTrue(left.get(0).matches("version-\\d+\\.jsa"), left.toString());

            Result logged = run(launcher, Map.of("SLUICE_JAVA_OPTS", classLoadLog(home, "class-load.log")), "version");
            assertEquals(0, logged.exitCode());
            String loaded = Files.readString(home.resolve("class-load.log"));
            assertTrue(loaded.contains("io.sluice.client.cli.SluiceCli source: shared objects file"),
                    "the archive the two runs left is mapped");
        } finally {
            deleteTree(home);
        }
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String classLoadLog(Path dir, String name) {
        return "-Xlog:class+load=info:file=" + dir.resolve(name) + "::filecount=0";
    }

    /** The JDK 23+ flag is added only there; JDK 17 would refuse to start with it. */
    @Test
    void runsOnNewerJdksToo() throws Exception {
        Path jvms = Path.of("/usr/lib/jvm");
        assumeTrue(Files.isDirectory(jvms), "no /usr/lib/jvm on this machine");
        List<Path> newer;
        try (Stream<Path> list = Files.list(jvms)) {
            newer = list.filter(p -> p.getFileName().toString().matches(".*-(2[3-9]|[3-9][0-9])-.*"))
                    .filter(p -> Files.isExecutable(p.resolve("bin/java"))).toList();
        }
        assumeTrue(!newer.isEmpty(), "no JDK 23+ installed");
        Result result = sluice(Map.of("JAVA_HOME", newer.get(0).toString()), "version");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("", result.err(), "no warnings about restricted or unsafe memory access");
    }

}

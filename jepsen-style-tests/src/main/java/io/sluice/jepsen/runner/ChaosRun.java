package io.sluice.jepsen.runner;

import io.sluice.common.Clock;
import io.sluice.jepsen.cluster.ClusterLauncher;
import io.sluice.jepsen.cluster.ClusterSpec;
import io.sluice.jepsen.fault.FaultContext;
import io.sluice.jepsen.fault.FaultKind;
import io.sluice.jepsen.fault.LeaderLocator;
import io.sluice.jepsen.fault.Nemesis;
import io.sluice.jepsen.history.HistoryLog;
import io.sluice.jepsen.history.HistoryRecorder;
import io.sluice.jepsen.net.Network;
import io.sluice.jepsen.schedule.Schedule;
import io.sluice.jepsen.schedule.ScheduleOptions;
import io.sluice.jepsen.schedule.Scheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One chaos run, phase by phase: set-up (network, cluster, every node ready), the workload's
 * start, the fault schedule until the time limit, the final phase (workload stopped, every fault
 * healed, every node ready again, the recovery wait, final reads), tear-down (always, even after
 * a failure), then the verdict ({@link RunVerdict}). What went wrong besides anomalies (a node that
 * exited on its own or did not recover, a fault step that failed) is collected as a problem and
 * makes the run fail. Used by one thread.
 */
final class ChaosRun {
    /** Generous: five JVMs starting on two busy cores took more than two minutes to get ready. */
    private static final long READY_TIMEOUT_MS = 360_000;
    private static final long STOP_GRACE_MS = 15_000;
    private static final long WORKLOAD_STOP_MS = 30_000;
    private static final long FINAL_READS_MS = 180_000;
    private static final long WAIT_STEP_MS = 250;

    private final ChaosOptions options;
    private final WorkloadProvider provider;
    private final ChaosRunner.Environment environment;
    private final Path dir;
    private final RunLog log;
    private final Clock clock;
    private final List<String> notes = new ArrayList<>();
    private final Set<String> problems = new LinkedHashSet<>();
    private Network network;
    private ClusterLauncher cluster;
    private HistoryRecorder history;
    private Workload workload;
    private Nemesis nemesis;
    private boolean setupFailed;

    ChaosRun(ChaosOptions options, WorkloadProvider provider, ChaosRunner.Environment environment, Path dir,
            RunLog log) {
        this.options = options;
        this.provider = provider;
        this.environment = environment;
        this.dir = dir;
        this.log = log;
        this.clock = environment.clock();
    }

    ChaosRunner.Outcome execute() throws IOException {
        log.accept("sluice chaos: seed " + options.seed() + ", run folder " + dir);
        log.accept("replay with: " + options.replayCommand());
        Files.writeString(dir.resolve("command.txt"), options.replayCommand() + "\n", StandardCharsets.UTF_8);
        Schedule schedule = Scheduler.plan(new ScheduleOptions(options.seed(), options.nodes(),
                options.timeLimitMs(), options.faults(), options.intervalMs(), options.maxConcurrent()));
        Files.writeString(dir.resolve("schedule.json"), schedule.toJson().toPrettyString() + "\n",
                StandardCharsets.UTF_8);
        log.accept("schedule: " + schedule.faults().size() + " faults planned (schedule.json)");
        try {
            if (setUp()) {
                runWorkload(schedule);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("the run was interrupted");
        } catch (Exception e) {
            problems.add("the run stopped early: " + e);
            log.accept("ERROR " + e);
        } finally {
            tearDown();
        }
        return new RunVerdict(options, environment, dir, log).conclude(network == null ? "none"
                : network.description(), notes, List.copyOf(problems), setupFailed, nodeLogs());
    }

    /** Network and cluster; false (and the reason logged) when the cluster cannot start. */
    private boolean setUp() throws IOException, InterruptedException {
        network = options.network().open(options.nodes(), log);
        log.accept("network: " + network.description());
        if (!network.isolatesNodes()) {
            notes.add("Nodes ran on loopback (" + network.description() + "); network faults were skipped.");
        }
        for (FaultKind kind : options.faults()) {
            Optional<String> unavailable = kind.network().flatMap(network::unavailable);
            unavailable.ifPresent(reason -> {
                notes.add("Fault '" + kind.wireName() + "' was skipped: " + reason);
                log.accept("fault '" + kind.wireName() + "' is skipped on this machine: " + reason);
            });
        }
        cluster = ClusterLauncher.create(new ClusterSpec(options.nodes(), dir, environment.nodeCommand(),
                options.overrides(), READY_TIMEOUT_MS, STOP_GRACE_MS), network, clock, log);
        try {
            cluster.startAll();
        } catch (IOException e) {
            setupFailed = true;
            problems.add("the cluster did not start: " + e.getMessage());
            log.accept("ERROR the cluster did not start: " + e.getMessage());
            return false;
        }
        log.accept("cluster ready: " + cluster.bootstrapServers());
        return true;
    }

    private void runWorkload(Schedule schedule) throws Exception {
        history = new HistoryRecorder(HistoryLog.create(dir.resolve("history.jsonl")), clock);
        workload = provider.create();
        try {
            workload.start(new WorkloadContext(List.of(cluster.bootstrapServers().split(",")), history,
                    options.seed(), clock, dir, options.workloadOptions(), log));
        } catch (Exception e) {
            setupFailed = true;
            throw e;
        }
        log.accept("workload '" + provider.name() + "' started");
        Workload running = workload;
        LeaderLocator locator = new LeaderLocator() {
            @Override
            public Set<Integer> currentLeaders() throws Exception {
                return running.leaderLocator().currentLeaders();
            }

            @Override
            public Optional<List<Set<Integer>>> inSyncReplicas() throws Exception {
                return running.leaderLocator().inSyncReplicas();
            }
        };
        nemesis = new Nemesis(new FaultContext(cluster, network, locator, log), history);
        long phaseStartMs = history.nowMs();
        for (Schedule.Event event : schedule.events()) {
            waitUntil(phaseStartMs + event.atMs());
            noteUnexpectedExits();
            if (event.start()) {
                nemesis.start(event.fault());
            } else {
                nemesis.heal(event.fault().id());
            }
        }
        waitUntil(phaseStartMs + options.timeLimitMs());
        finalPhase();
    }

    private void finalPhase() throws Exception {
        log.accept("time limit reached: stopping the workload");
        workload.stop(WORKLOAD_STOP_MS);
        noteUnexpectedExits();
        nemesis.healAll();
        problems.addAll(nemesis.problems());
        try {
            cluster.awaitReady(cluster.ids(), READY_TIMEOUT_MS);
            log.accept("every node is ready; waiting " + options.recoveryMs() / 1000.0 + " s for recovery");
        } catch (IOException e) {
            problems.add("the cluster did not recover after healing: " + e.getMessage());
            log.accept("ERROR the cluster did not recover: " + e.getMessage());
        }
        clock.sleepMs(options.recoveryMs());
        log.accept("final reads");
        if (!workload.finalReads(FINAL_READS_MS)) {
            String problem = "the final reads did not reach the end of every partition within "
                    + FINAL_READS_MS / 1000 + " s, so the history cannot show every acknowledged write is readable";
            problems.add(problem);
            log.accept("ERROR " + problem);
        }
        noteUnexpectedExits();
    }

    private void waitUntil(long runMs) throws InterruptedException {
        long now;
        while ((now = history.nowMs()) < runMs) {
            clock.sleepMs(Math.min(WAIT_STEP_MS, runMs - now));
        }
    }

    private void noteUnexpectedExits() {
        for (Map.Entry<Integer, Integer> exit : cluster.unexpectedExits().entrySet()) {
            String problem = "node " + exit.getKey() + " exited on its own with code " + exit.getValue() + " (see n"
                    + exit.getKey() + "/node.log)";
            if (problems.add(problem)) {
                log.accept("ERROR " + problem);
            }
        }
    }

    private void tearDown() {
        if (workload != null) {
            try {
                workload.close();
            } catch (RuntimeException e) {
                log.accept("warning: closing the workload failed: " + e);
            }
        }
        if (cluster != null) {
            try {
                cluster.close();
            } catch (IOException | RuntimeException e) {
                log.accept("warning: stopping the cluster failed: " + e);
            }
        }
        if (network != null) {
            network.close();
        }
        if (history != null) {
            try {
                history.close();
            } catch (IOException e) {
                log.accept("warning: closing the history failed: " + e);
            }
        }
        log.accept("cluster stopped and network removed");
    }

    private List<String> nodeLogs() {
        List<String> logs = new ArrayList<>();
        for (int id = 1; id <= options.nodes(); id++) {
            if (Files.exists(dir.resolve("n" + id).resolve("node.log"))) {
                logs.add("n" + id + "/node.log");
            }
        }
        return logs;
    }
}

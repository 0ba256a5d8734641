package io.sluice.jepsen.workload;

import io.sluice.client.admin.Admin;
import io.sluice.common.Clock;
import io.sluice.jepsen.fault.LeaderLocator;
import io.sluice.jepsen.runner.Workload;
import io.sluice.jepsen.runner.WorkloadContext;
import io.sluice.jepsen.workload.internal.AdminLeaderLocator;
import io.sluice.jepsen.workload.internal.ClientSettings;
import io.sluice.jepsen.workload.internal.ConsumerProcess;
import io.sluice.jepsen.workload.internal.FinalReader;
import io.sluice.jepsen.workload.internal.ProducerProcess;
import io.sluice.jepsen.workload.internal.ProducerSlot;
import io.sluice.jepsen.workload.internal.TopicSetup;
import io.sluice.jepsen.workload.internal.WorkloadEnv;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The queue workload of {@code docs/chaos.md}, with the Java SDK used as an application would:
 * it creates the topic (partitions, replication, {@code min.insync.replicas}, small segments),
 * then runs producer processes (idempotent, acks=all, sharing a few producer clients; unique
 * values, half to a chosen partition, half by key), consumer processes that assign partitions
 * themselves and consumer processes subscribed in a group, all committing, all crashed and
 * recreated now and then; every operation is recorded with {@code QueueOps}. Process numbers:
 * producers from 0, assigned consumers from 100, subscribed consumers from 200, final readers from
 * {@value FinalReader#FIRST_PROCESS}. Its {@link #leaderLocator()} asks the admin client.
 *
 * <p>Driven by the runner from one thread ({@link Workload}'s life cycle); the processes run on
 * threads of their own.
 */
public final class QueueWorkload implements Workload {
    /** Process number of the first assigned consumer. */
    public static final int FIRST_ASSIGN_CONSUMER = 100;
    /** Process number of the first subscribed consumer. */
    public static final int FIRST_GROUP_CONSUMER = 200;
    private static final long TOPIC_READY_MS = 120_000;

    private final List<Thread> threads = new ArrayList<>();
    private final List<ProducerSlot> slots = new ArrayList<>();
    private WorkloadEnv env;
    private Clock clock;
    private Admin admin;
    private volatile LeaderLocator locator = LeaderLocator.unknown();
    private boolean closed;

    @Override
    public void start(WorkloadContext context) throws Exception {
        QueueSettings settings = QueueSettings.parse(context.options(), context.bootstrapServers().size());
        clock = context.clock();
        env = new WorkloadEnv(context.bootstrapServers(), settings, context.history(), context.seed(), context.log());
        admin = Admin.create(ClientSettings.admin(env.bootstrap(), settings));
        env.log("queue workload: " + settings);
        TopicSetup.createAndAwait(admin, settings, clock, TOPIC_READY_MS);
        locator = new AdminLeaderLocator(admin, settings.topic());
        int process = 0;
        for (int s = 0; s < settings.producers(); s++) {
            List<Integer> processes = new ArrayList<>();
            for (int i = 0; i < settings.processesPerProducer(); i++) {
                processes.add(process++);
            }
            ProducerSlot slot = new ProducerSlot(env, s, processes);
            slots.add(slot);
            processes.forEach(p -> spawn("chaos-producer-" + p, new ProducerProcess(env, slot, p)));
        }
        for (int i = 0; i < settings.assignConsumers(); i++) {
            int p = FIRST_ASSIGN_CONSUMER + i;
            spawn("chaos-assigned-" + p, new ConsumerProcess(env, ConsumerProcess.Mode.ASSIGN, p));
        }
        for (int i = 0; i < settings.groupConsumers(); i++) {
            int p = FIRST_GROUP_CONSUMER + i;
            spawn("chaos-subscribed-" + p, new ConsumerProcess(env, ConsumerProcess.Mode.SUBSCRIBE, p));
        }
    }

    private void spawn(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    @Override
    public void stop(long timeoutMs) throws InterruptedException {
        if (env == null) {
            return;
        }
        env.stopRunning();
        long deadline = clock.monotonicMs() + timeoutMs;
        for (Thread thread : threads) {
            thread.join(Math.max(1, deadline - clock.monotonicMs()));
        }
        List<String> stuck = new ArrayList<>();
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                stuck.add(thread.getName());
                thread.interrupt();
            }
        }
        if (!stuck.isEmpty()) {
            env.log("queue workload: interrupted processes still busy after " + timeoutMs + " ms: " + stuck);
        }
        slots.forEach(ProducerSlot::close);
    }

    @Override
    public boolean finalReads(long timeoutMs) throws Exception {
        FinalReader reader = new FinalReader(env, clock);
        if (reader.readAll(timeoutMs)) {
            return true;
        }
        env.log("queue workload: the final reads did not reach the end of every partition within " + timeoutMs
                + " ms; last attempt: " + reader.shortfall());
        return false;
    }

    @Override
    public LeaderLocator leaderLocator() {
        return locator;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (env != null) {
            env.stopRunning();
        }
        threads.forEach(Thread::interrupt);
        slots.forEach(ProducerSlot::close);
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}

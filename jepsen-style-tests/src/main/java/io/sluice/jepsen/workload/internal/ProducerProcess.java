package io.sluice.jepsen.workload.internal;

import java.util.SplittableRandom;

/**
 * One producer process: sends unique values one at a time through its {@link ProducerSlot},
 * half to a partition it picks, half by key (the SDK's murmur2 partitioner picks), pausing a
 * little between sends, and now and then crashes its client. Runs on its own thread until the
 * workload stops.
 */
public final class ProducerProcess implements Runnable {
    private static final int KEYS = 32;

    private final WorkloadEnv env;
    private final ProducerSlot slot;
    private final int process;
    private final SplittableRandom random;

    public ProducerProcess(WorkloadEnv env, ProducerSlot slot, int process) {
        this.env = env;
        this.slot = slot;
        this.process = process;
        this.random = env.randomFor(process);
    }

    @Override
    public void run() {
        int partitions = env.settings().partitions();
        int crashEvery = env.settings().crashEvery();
        while (env.pause(random, env.settings().sendGapMs())) {
            if (slot.isStuck()) {
                slot.crash("a send got no outcome: the client is replaced");
            } else if (random.nextInt(crashEvery) == 0) {
                slot.crash("crashed by the workload");
            }
            String value = env.nextValue();
            if (random.nextBoolean()) {
                slot.send(process, random.nextInt(partitions), null, value);
            } else {
                slot.send(process, null, "k" + random.nextInt(KEYS), value);
            }
        }
    }
}

package io.sluice.broker.log;

/** Seeds for randomized tests: {@code -Dsluice.seed} replays one, otherwise a fresh one is printed. */
final class TestSeeds {
    private TestSeeds() {
    }

    /** The seed for {@code test}, printed with how to replay it. */
    static long seed(String test) {
        long seed = Long.getLong("sluice.seed", System.nanoTime());
        System.out.println(test + " seed: " + seed + " (replay with -Dsluice.seed=" + seed + ")");
        return seed;
    }
}

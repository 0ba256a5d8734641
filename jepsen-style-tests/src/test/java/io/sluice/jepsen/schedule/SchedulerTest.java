package io.sluice.jepsen.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.jepsen.fault.FaultKind;
import io.sluice.jepsen.fault.PlannedFault;
import io.sluice.jepsen.fault.Target;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schedules are a function of their options: the same seed plans the same faults, and every
 * schedule keeps its limits. Seeded; prints its seed, replay with {@code -Dsluice.seed=N}.
 */
class SchedulerTest {
    private static final long SEED = Long.getLong("sluice.seed", new Random().nextLong());
    private static final List<FaultKind> ALL = List.of(FaultKind.values());

    @BeforeAll
    static void printSeed() {
        System.out.println("SchedulerTest seed " + SEED + " (replay with -Dsluice.seed=" + SEED + ")");
    }

    private static ScheduleOptions options(long seed, int nodes, List<FaultKind> kinds) {
        return new ScheduleOptions(seed, nodes, 300_000, kinds, 10_000, 2);
    }

    @Test
    void theSameSeedGivesTheSameSchedule() {
        for (long seed = SEED; seed < SEED + 20; seed++) {
            Schedule first = Scheduler.plan(options(seed, 5, ALL));
            Schedule again = Scheduler.plan(options(seed, 5, ALL));
            assertEquals(first, again, "seed " + seed);
            assertEquals(first.toJson(), again.toJson());
            List<FaultKind> reversed = new ArrayList<>(ALL);
            java.util.Collections.reverse(reversed);
            assertEquals(first.faults(), Scheduler.plan(options(seed, 5, reversed)).faults(),
                    "the order faults are listed in does not matter");
        }
        assertEquals(Scheduler.plan(options(42, 5, List.of(FaultKind.KILL, FaultKind.PAUSE, FaultKind.PARTITION))),
                Scheduler.plan(options(42, 5, List.of(FaultKind.KILL, FaultKind.PAUSE, FaultKind.PARTITION))));
    }

    @Test
    void differentSeedsGiveDifferentSchedules() {
        assertNotEquals(Scheduler.plan(options(SEED, 5, ALL)).faults(),
                Scheduler.plan(options(SEED + 1, 5, ALL)).faults());
    }

    @Test
    void everyScheduleKeepsItsLimits() {
        for (long seed = SEED; seed < SEED + 200; seed++) {
            int nodes = seed % 2 == 0 ? 5 : 3;
            List<FaultKind> kinds = seed % 3 == 0 ? List.of(FaultKind.KILL, FaultKind.PARTITION) : ALL;
            ScheduleOptions options = options(seed, nodes, kinds);
            Schedule schedule = Scheduler.plan(options);
            assertFalse(schedule.faults().isEmpty(), "seed " + seed);
            for (PlannedFault fault : schedule.faults()) {
                String where = "seed " + seed + ", " + fault.describe();
                assertTrue(kinds.contains(fault.kind()), where);
                assertTrue(fault.startMs() >= options.intervalMs() / 2 && fault.startMs() < options.timeLimitMs(),
                        where);
                assertTrue(fault.healMs() <= options.timeLimitMs(), where);
                long duration = fault.healMs() - fault.startMs();
                assertTrue(duration <= options.maxDurationMs(), where);
                assertTrue(duration >= options.minDurationMs() || fault.healMs() == options.timeLimitMs(), where);
                checkTargets(fault, nodes, where);
            }
            checkOverlaps(schedule, options, "seed " + seed);
        }
    }

    private static void checkTargets(PlannedFault fault, int nodes, String where) {
        fault.nodes().forEach(n -> assertTrue(n >= 1 && n <= nodes, where));
        fault.cuts().forEach(c -> assertTrue(c.from() >= 1 && c.from() <= nodes && c.to() <= nodes, where));
        if (fault.kind() == FaultKind.PARTITION) {
            assertEquals(fault.target().equals("leaders"), fault.cuts().isEmpty(), where);
        } else if (fault.target().equals(Target.LEADERS)) {
            assertTrue(fault.nodes().isEmpty(), where);
        } else {
            assertEquals(Target.size(fault.target(), nodes), fault.nodes().size(), where);
            assertEquals(fault.nodes().size(), Set.copyOf(fault.nodes()).size(), where);
        }
    }

    private static void checkOverlaps(Schedule schedule, ScheduleOptions options, String where) {
        List<PlannedFault> active = new ArrayList<>();
        for (Schedule.Event event : schedule.events()) {
            if (!event.start()) {
                assertTrue(active.remove(event.fault()), where + ": heal before start");
                continue;
            }
            for (PlannedFault other : active) {
                assertNotEquals(other.kind().group(), event.fault().kind().group(), where + ": "
                        + other.describe() + " overlaps " + event.fault().describe());
            }
            active.add(event.fault());
            assertTrue(active.size() <= options.maxConcurrent(), where);
        }
        assertTrue(active.isEmpty(), where + ": every fault heals");
    }

    @Test
    void longRunsUseEveryEnabledKindAndTarget() {
        Schedule schedule = Scheduler.plan(new ScheduleOptions(SEED, 5, 3_600_000, ALL, 5_000, 3));
        Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
        Set<String> targets = new java.util.HashSet<>();
        schedule.faults().forEach(f -> {
            kinds.add(f.kind());
            targets.add(f.kind().wireName() + ":" + f.target());
        });
        assertEquals(EnumSet.allOf(FaultKind.class), kinds);
        for (FaultKind kind : FaultKind.values()) {
            kind.targets().forEach(t -> assertTrue(targets.contains(kind.wireName() + ":" + t), kind + " " + t));
        }
        assertTrue(schedule.faults().stream().anyMatch(f -> f.kind() == FaultKind.CLOCK && f.amount() < 0));
        assertTrue(schedule.faults().stream().anyMatch(f -> f.kind() == FaultKind.CLOCK && f.amount() > 0));
    }
}

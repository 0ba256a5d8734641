package io.sluice.jepsen.schedule;

import io.sluice.jepsen.fault.FaultKind;
import io.sluice.jepsen.fault.PartitionShape;
import io.sluice.jepsen.fault.Partitions;
import io.sluice.jepsen.fault.PlannedFault;
import io.sluice.jepsen.fault.Target;
import io.sluice.jepsen.net.Cut;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Draws a {@link Schedule} from {@link ScheduleOptions}. Time advances by random gaps; at each
 * step, if fewer than {@code maxConcurrent} faults are in effect, a fault of a random enabled kind
 * whose conflict group is free starts, with a random duration, target, nodes and amount, and heals
 * at the latest at the time limit. Every random choice comes, in a fixed order, from one
 * {@link SplittableRandom} seeded with the options' seed: equal options give equal schedules.
 * Stateless.
 */
public final class Scheduler {
    /** Loss: 10-60 percent of arriving packets. */
    private static final int MIN_LOSS_PERCENT = 10;
    private static final int MAX_LOSS_PERCENT = 60;
    /** Delay: 50-500 ms. */
    private static final int MIN_DELAY_MS = 50;
    private static final int MAX_DELAY_MS = 500;
    /** Clock jumps: 100 ms to 5 minutes either way, log-uniform. */
    private static final double MIN_CLOCK_MS = 100;
    private static final double MAX_CLOCK_MS = 300_000;
    /** Bit flips: 1-16 bits. */
    private static final int MAX_BITS = 16;

    private Scheduler() {
    }

    /** Plans the faults. */
    public static Schedule plan(ScheduleOptions options) {
        SplittableRandom random = new SplittableRandom(options.seed());
        List<PlannedFault> planned = new ArrayList<>();
        List<PlannedFault> inEffect = new ArrayList<>();
        long interval = options.intervalMs();
        long now = 0;
        while (true) {
            now += interval / 2 + random.nextLong(interval + 1);
            if (now >= options.timeLimitMs() || options.kinds().isEmpty()) {
                break;
            }
            long at = now;
            inEffect.removeIf(f -> f.healMs() <= at);
            if (inEffect.size() >= options.maxConcurrent()) {
                continue;
            }
            Set<FaultKind.Group> busy = EnumSet.noneOf(FaultKind.Group.class);
            inEffect.forEach(f -> busy.add(f.kind().group()));
            List<FaultKind> free = options.kinds().stream().filter(k -> !busy.contains(k.group())).toList();
            if (free.isEmpty()) {
                continue;
            }
            FaultKind kind = free.get(random.nextInt(free.size()));
            long duration = options.minDurationMs()
                    + random.nextLong(options.maxDurationMs() - options.minDurationMs() + 1);
            PlannedFault fault = draw(planned.size() + 1, kind, now, Math.min(now + duration, options.timeLimitMs()),
                    options.nodes(), random);
            planned.add(fault);
            inEffect.add(fault);
        }
        return new Schedule(options, planned);
    }

    private static PlannedFault draw(int id, FaultKind kind, long startMs, long healMs, int n,
            SplittableRandom random) {
        String target = kind.targets().get(random.nextInt(kind.targets().size()));
        List<Integer> order = shuffled(n, random);
        List<Integer> nodes = List.of();
        List<Cut> cuts = List.of();
        if (kind == FaultKind.PARTITION) {
            switch (target) {
                case PartitionShape.ISOLATE_ONE -> {
                    nodes = order.subList(0, 1);
                    cuts = List.copyOf(Partitions.isolate(order.get(0), order));
                }
                case PartitionShape.HALVES -> {
                    nodes = order;
                    cuts = List.copyOf(Partitions.halves(order));
                }
                case PartitionShape.MAJORITIES_RING -> {
                    nodes = order;
                    cuts = List.copyOf(Partitions.majoritiesRing(order));
                }
                case PartitionShape.ONE_WAY -> {
                    nodes = sorted(order.subList(0, Target.size(Target.MINORITY, n)));
                    cuts = List.copyOf(Partitions.oneWay(nodes, order, random.nextBoolean()));
                }
                default -> {
                    // leaders: learnt when the fault starts
                }
            }
        } else if (!target.equals(Target.LEADERS)) {
            nodes = sorted(order.subList(0, Target.size(target, n)));
        }
        return new PlannedFault(id, kind, startMs, healMs, target, nodes, cuts, amount(kind, random),
                random.nextLong());
    }

    private static long amount(FaultKind kind, SplittableRandom random) {
        return switch (kind) {
            case LOSS -> MIN_LOSS_PERCENT + random.nextInt(MAX_LOSS_PERCENT - MIN_LOSS_PERCENT + 1);
            case DELAY -> MIN_DELAY_MS + random.nextInt(MAX_DELAY_MS - MIN_DELAY_MS + 1);
            case CLOCK -> {
                double logMs = Math.log(MIN_CLOCK_MS) + random.nextDouble() * Math.log(MAX_CLOCK_MS / MIN_CLOCK_MS);
                long magnitude = Math.round(Math.exp(logMs));
                yield random.nextBoolean() ? magnitude : -magnitude;
            }
            case BITFLIP -> 1 + random.nextInt(MAX_BITS);
            default -> 0;
        };
    }

    private static List<Integer> shuffled(int n, SplittableRandom random) {
        List<Integer> order = new ArrayList<>(IntStream.rangeClosed(1, n).boxed().toList());
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer swap = order.get(i);
            order.set(i, order.get(j));
            order.set(j, swap);
        }
        return List.copyOf(order);
    }

    private static List<Integer> sorted(List<Integer> nodes) {
        return nodes.stream().sorted().toList();
    }
}

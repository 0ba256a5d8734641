package io.sluice.jepsen.runner;

import io.sluice.jepsen.fault.FaultKind;
import io.sluice.jepsen.net.NetworkChoice;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The options of {@code sluice chaos}. {@link #parse} reads the command line (refusing unknown
 * flags and bad values with a message), {@link #replayArguments()} writes it back in full so that
 * a run can be replayed exactly. Durations are held in milliseconds and written in seconds.
 * Immutable.
 *
 * @param nodes           cluster size (3 or 5 usually; 1-9)
 * @param timeLimitMs     length of the fault phase
 * @param faults          enabled fault kinds
 * @param seed            the schedule's seed
 * @param out             the run folder, or null for {@code chaos-runs/<time>-seed<seed>}
 * @param intervalMs      mean gap between fault starts
 * @param recoveryMs      wait after healing before the final reads
 * @param maxConcurrent   most faults in effect at once
 * @param workload        the workload's name, or null for the only one available
 * @param workloadOptions {@code --workload-option key=value} pairs
 * @param network         where nodes run
 * @param overrides       node settings ({@code --override key=value})
 * @param keepData        keep the nodes' data directories even after a valid run
 */
public record ChaosOptions(int nodes, long timeLimitMs, List<FaultKind> faults, long seed, Path out, long intervalMs,
        long recoveryMs, int maxConcurrent, String workload, Map<String, String> workloadOptions,
        NetworkChoice network, Map<String, String> overrides, boolean keepData) {

    /** The usage text. */
    public static final String USAGE = """
            Usage: sluice chaos [--nodes N] [--time-limit S] [--faults LIST] [--seed N] [--out DIR]
                                [--interval S] [--recovery S] [--max-concurrent N] [--network MODE]
                                [--workload NAME] [--workload-option K=V]... [--override K=V]... [--keep-data]
              --nodes           cluster size, 1-9 (default 5)
              --time-limit      seconds of workload under faults (default 60)
              --faults          comma-separated: kill, pause, partition, loss, delay, clock, truncate,
                                bitflip, lose-unflushed, membership; 'storage' = the three storage
                                faults, 'all' = everything (default kill,pause,partition)
              --seed            seed of the fault schedule (default: random, printed)
              --out             run folder (default chaos-runs/<time>-seed<seed>)
              --interval        mean seconds between fault starts (default 10)
              --recovery        seconds to wait after healing before the final reads (default 20)
              --max-concurrent  most faults in effect at once (default 2)
              --network         auto | namespaces | loopback (default auto: namespaces when root)
              --workload        which workload (default: the only one available)
              --workload-option an option for the workload
              --override        a node setting written into every node's properties
              --keep-data       keep the nodes' data directories after a valid run
            Exit code: 0 no anomaly, 1 anomalies or the cluster did not recover, 2 bad usage or set-up failure.
            """;

    private static final List<String> FLAGS = List.of("--nodes", "--time-limit", "--faults", "--seed", "--out",
            "--interval", "--recovery", "--max-concurrent", "--network", "--workload", "--workload-option",
            "--override");

    public ChaosOptions {
        faults = List.copyOf(faults);
        workloadOptions = Map.copyOf(workloadOptions);
        overrides = Map.copyOf(overrides);
        Objects.requireNonNull(network, "network");
        if (nodes < 1 || nodes > 9) {
            throw new IllegalArgumentException("--nodes must be 1-9, got " + nodes);
        }
        if (timeLimitMs < 1_000 || intervalMs < 100 || recoveryMs < 0 || maxConcurrent < 1) {
            throw new IllegalArgumentException("--time-limit must be >= 1 s, --interval >= 0.1 s, --recovery >= 0 "
                    + "and --max-concurrent >= 1");
        }
    }

    /** Parses the arguments after {@code chaos}; throws IllegalArgumentException with a message. */
    public static ChaosOptions parse(List<String> args) {
        Map<String, String> single = new LinkedHashMap<>();
        Map<String, String> workloadOptions = new LinkedHashMap<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        boolean keepData = false;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (flag.equals("--keep-data")) {
                keepData = true;
                continue;
            }
            if (!FLAGS.contains(flag)) {
                throw new IllegalArgumentException("unknown argument '" + flag + "'");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args.get(++i);
            switch (flag) {
                case "--workload-option" -> putPair(workloadOptions, flag, value);
                case "--override" -> putPair(overrides, flag, value);
                default -> {
                    if (single.put(flag, value) != null) {
                        throw new IllegalArgumentException(flag + " is given twice");
                    }
                }
            }
        }
        return new ChaosOptions(integer(single, "--nodes", 5), seconds(single, "--time-limit", 60),
                FaultKind.parseList(single.getOrDefault("--faults", "kill,pause,partition")),
                single.containsKey("--seed") ? longValue("--seed", single.get("--seed")) : randomSeed(),
                single.containsKey("--out") ? Path.of(single.get("--out")) : null,
                seconds(single, "--interval", 10), seconds(single, "--recovery", 20),
                integer(single, "--max-concurrent", 2), single.get("--workload"), workloadOptions,
                NetworkChoice.of(single.getOrDefault("--network", "auto")), overrides, keepData);
    }

    private static long randomSeed() {
        return new SecureRandom().nextLong() & Long.MAX_VALUE;
    }

    private static void putPair(Map<String, String> into, String flag, String pair) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(flag + " takes key=value, got '" + pair + "'");
        }
        into.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }

    private static int integer(Map<String, String> flags, String flag, int fallback) {
        return flags.containsKey(flag) ? Math.toIntExact(longValue(flag, flags.get(flag))) : fallback;
    }

    private static long longValue(String flag, String raw) {
        try {
            return Long.parseLong(raw.strip());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(flag + " takes a whole number, got '" + raw + "'");
        }
    }

    private static long seconds(Map<String, String> flags, String flag, double fallback) {
        double value = fallback;
        if (flags.containsKey(flag)) {
            try {
                value = Double.parseDouble(flags.get(flag).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " takes seconds, got '" + flags.get(flag) + "'");
            }
        }
        if (!(value >= 0) || value > 86_400 * 7) {
            throw new IllegalArgumentException(flag + " must be between 0 and a week of seconds");
        }
        return Math.round(value * 1000);
    }

    /** Every option but {@code --out} and {@code --keep-data}, as arguments that replay this run. */
    public List<String> replayArguments() {
        List<String> args = new ArrayList<>(List.of("--nodes", Integer.toString(nodes), "--time-limit",
                secondsText(timeLimitMs), "--faults", faults.stream().map(FaultKind::wireName)
                        .collect(Collectors.joining(",")), "--seed", Long.toString(seed), "--interval",
                secondsText(intervalMs), "--recovery", secondsText(recoveryMs), "--max-concurrent",
                Integer.toString(maxConcurrent), "--network", network.wireName()));
        if (workload != null) {
            args.addAll(List.of("--workload", workload));
        }
        workloadOptions.forEach((k, v) -> args.addAll(List.of("--workload-option", k + "=" + v)));
        overrides.forEach((k, v) -> args.addAll(List.of("--override", k + "=" + v)));
        return args;
    }

    /** The command that replays this run: {@code bin/sluice chaos ...}. */
    public String replayCommand() {
        return "bin/sluice chaos " + replayArguments().stream().map(ChaosOptions::quoted)
                .collect(Collectors.joining(" "));
    }

    private static String quoted(String word) {
        return word.matches("[A-Za-z0-9_.,=/:@+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static String secondsText(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    }
}

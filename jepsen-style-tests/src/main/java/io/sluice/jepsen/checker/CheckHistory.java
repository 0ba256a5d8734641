package io.sluice.jepsen.checker;

import io.sluice.jepsen.history.HistoryLog;
import io.sluice.jepsen.history.Op;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code check-history <history.jsonl> [--out result.json]}: re-checks a recorded history by hand.
 * Prints the result's JSON (or, with {@code --out}, writes it there and prints one line), and exits
 * 0 when the history is valid, 1 when it holds anomalies, 2 on bad usage or a malformed history.
 */
public final class CheckHistory {
    /** The history is valid. */
    public static final int VALID = 0;
    /** The checker found anomalies. */
    public static final int ANOMALIES = 1;
    /** Bad usage, or a history that cannot be read or breaks the format. */
    public static final int BAD_INPUT = 2;

    private static final String USAGE = "usage: check-history <history.jsonl> [--out result.json]";

    private CheckHistory() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command and returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path history = null;
        Path resultFile = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                resultFile = Path.of(args[++i]);
            } else if (args[i].startsWith("-") || history != null) {
                err.println("check-history: unexpected argument '" + args[i] + "'");
                err.println(USAGE);
                return BAD_INPUT;
            } else {
                history = Path.of(args[i]);
            }
        }
        if (history == null) {
            err.println(USAGE);
            return BAD_INPUT;
        }
        CheckResult result;
        try {
            List<Op> ops = HistoryLog.read(history);
            result = Checker.check(ops);
        } catch (IOException | UncheckedIOException | HistoryFormatException | IllegalArgumentException e) {
            err.println("check-history: cannot check " + history + ": " + e.getMessage());
            return BAD_INPUT;
        }
        if (resultFile == null) {
            out.println(result.toJsonString());
        } else {
            try {
                result.writeTo(resultFile);
            } catch (UncheckedIOException e) {
                err.println("check-history: " + e.getMessage());
                return BAD_INPUT;
            }
            out.println(summary(result) + "; result in " + resultFile);
        }
        return result.valid() ? VALID : ANOMALIES;
    }

    private static String summary(CheckResult result) {
        if (result.valid()) {
            return "valid";
        }
        StringBuilder text = new StringBuilder("anomalies:");
        result.found().forEach(kind -> text.append(' ').append(kind.wireName())
                .append(" (").append(result.anomaly(kind).count()).append(')'));
        return text.toString();
    }
}

package io.sluice.client.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One {@code bin/sluice} subcommand. Implementations print results to {@code out}, problems to
 * {@code err}, and return the process exit code: 0 success, 1 the operation failed, 2 bad usage.
 */
public interface Command {
    /** Exit code for success. */
    int OK = 0;
    /** Exit code when the operation was attempted and failed. */
    int FAILED = 1;
    /** Exit code for bad arguments. */
    int USAGE = 2;

    /** The subcommand's name, e.g. {@code version}. */
    String name();

    /** One line for the help listing. */
    String summary();

    /** Runs with the arguments after the subcommand's name. */
    int run(List<String> args, PrintStream out, PrintStream err);
}

package io.sluice.client.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Entry point of the user commands that {@code bin/sluice} dispatches to the client module.
 * Finds the subcommand by name and runs it; the exit code is the command's.
 */
public final class SluiceCli {
    private final Map<String, Command> commands;

    SluiceCli(List<Command> commands) {
        this.commands = commands.stream().collect(Collectors.toMap(Command::name, Function.identity()));
    }

    /** The CLI with every command this module provides, for the real process. */
    public static SluiceCli standard() {
        return with(CliEnvironment.standard());
    }

    /** The CLI with every command, talking to the cluster through {@code env}. */
    public static SluiceCli with(CliEnvironment env) {
        return new SluiceCli(List.of(new VersionCommand(), TopicsCommands.group(env), new ProduceCommand(env),
                new ConsumeCommand(env), GroupsCommands.group(env), ClusterCommands.group(env),
                PerfCommands.group(env)));
    }

    public static void main(String[] args) {
        int code = standard().run(List.of(args), System.out, System.err);
        if (code == 0) {
            ClassArchive.writeIfRequested();
        }
        System.exit(code);
    }

    /** Runs {@code args[0]} with the rest as its arguments and returns the exit code. */
    public int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println("sluice: no command given; 'sluice --help' lists them");
            return Command.USAGE;
        }
        Command command = commands.get(args.get(0));
        if (command == null) {
            err.println("sluice: unknown command '" + args.get(0) + "'; 'sluice --help' lists them");
            return Command.USAGE;
        }
        return command.run(args.subList(1, args.size()), out, err);
    }
}

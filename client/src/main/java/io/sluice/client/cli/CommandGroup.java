package io.sluice.client.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A command with subcommands ({@code topics create}, {@code groups list}, ...), dispatching on the first word. */
final class CommandGroup extends NamedCommand {
    private final Map<String, ClientCommand> subcommands = new LinkedHashMap<>();

    CommandGroup(String name, String summary, List<ClientCommand> commands) {
        super(name, summary);
        for (ClientCommand c : commands) {
            subcommands.put(c.name().substring(name.length() + 1), c);
        }
    }

    private String help() {
        StringBuilder b = new StringBuilder("Usage: sluice " + name() + " <" + String.join("|", subcommands.keySet())
                + "> [options]\n\n" + summary() + "\n\nSubcommands:\n");
        subcommands.forEach((sub, c) -> b.append(String.format("  %-14s %s%n", sub, c.summary())));
        b.append("\nRun 'sluice ").append(name()).append(" <subcommand> --help' for its options.\n");
        return b.toString();
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.print(help());
            return USAGE;
        }
        String first = args.get(0);
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            out.print(help());
            return OK;
        }
        ClientCommand sub = subcommands.get(first);
        if (sub == null) {
            err.println("sluice " + name() + ": unknown subcommand '" + first + "'; choose one of "
                    + String.join(", ", subcommands.keySet()));
            return USAGE;
        }
        return sub.run(args.subList(1, args.size()), out, err);
    }
}

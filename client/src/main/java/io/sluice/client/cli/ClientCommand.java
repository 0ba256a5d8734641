package io.sluice.client.cli;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A command that talks to the cluster. Takes the options every such command shares
 * ({@code --bootstrap-server}, {@code --command-timeout-ms}, {@code --command-config},
 * {@code --help}), parses the rest with its {@link Args.Spec}, and turns failures into one line
 * on stderr: usage errors exit 2 (with a pointer to {@code --help}), failed operations exit 1.
 * No stack traces reach the user.
 */
abstract class ClientCommand extends NamedCommand {
    static final String COMMON_OPTIONS = """
              --bootstrap-server HOST:PORT[,HOST:PORT]  brokers to contact (default %s)
              --command-timeout-ms N                    give up after N ms (default %d)
              --command-config FILE                     client settings (properties file)
              -h, --help                                this help
            """.formatted(Session.DEFAULT_BOOTSTRAP, Session.DEFAULT_TIMEOUT_MS);

    protected final CliEnvironment env;
    private final Args.Spec spec;
    private final String usage;

    /**
     * @param spec  the options of this command beyond the common ones
     * @param usage usage line and option list (without the common options)
     */
    ClientCommand(String name, String summary, CliEnvironment env, Args.Spec spec, String usage) {
        super(name, summary);
        this.env = env;
        this.spec = spec;
        this.usage = usage;
    }

    /** Runs the parsed command. */
    abstract int execute(Args args, Session session) throws Exception;

    /** The full help text. */
    String help() {
        return "Usage: sluice " + name() + " " + usage.stripTrailing() + "\n\nCommon options:\n" + COMMON_OPTIONS;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(help());
            return OK;
        }
        Session session = null;
        try {
            Args.Spec own = spec;
            Set<String> values = new HashSet<>(own.valueOptions());
            values.addAll(Set.of("bootstrap-server", "command-timeout-ms", "command-config"));
            Args parsed = Args.parse(args, new Args.Spec(values, own.flags(), own.repeatable()));
            session = new Session(parsed, out, err, env);
            return execute(parsed, session);
        } catch (UsageException e) {
            err.println("sluice " + name() + ": " + e.getMessage());
            err.println("Run 'sluice " + name() + " --help' for usage.");
            return USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("sluice " + name() + ": interrupted");
            return FAILED;
        } catch (Exception e) {
            String bootstrap = session == null ? Session.DEFAULT_BOOTSTRAP : session.bootstrap;
            err.println("sluice " + name() + ": " + Failures.describe(e, bootstrap));
            return FAILED;
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }
}


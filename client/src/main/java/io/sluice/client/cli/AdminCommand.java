package io.sluice.client.cli;

import io.sluice.client.admin.Admin;

/** A command whose work is a few admin calls: it gets an admin client that is closed after it. */
abstract class AdminCommand extends ClientCommand {
    AdminCommand(String name, String summary, CliEnvironment env, Args.Spec spec, String usage) {
        super(name, summary, env, spec, usage);
    }

    /** Runs the parsed command with {@code admin}. */
    abstract int execute(Args args, Session session, Admin admin) throws Exception;

    @Override
    final int execute(Args args, Session session) throws Exception {
        try (Admin admin = session.admin()) {
            return execute(args, session, admin);
        }
    }
}

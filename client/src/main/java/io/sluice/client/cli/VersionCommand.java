package io.sluice.client.cli;

import io.sluice.common.Version;
import java.io.PrintStream;
import java.util.List;

/** {@code sluice version}: the build's version and the Java runtime it runs on. */
final class VersionCommand implements Command {
    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "print the Sluice version and the Java runtime";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            err.println("sluice version: takes no arguments, got " + args);
            return USAGE;
        }
        out.println("sluice " + Version.current());
        out.println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        return OK;
    }
}

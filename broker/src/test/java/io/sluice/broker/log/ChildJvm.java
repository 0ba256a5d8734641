package io.sluice.broker.log;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The start of a command line for a child JVM that can load Chronicle, as this test JVM can. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** This JVM's {@code java}, then its module-access and Chronicle flags; append the rest. */
    static List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access")
                    || argument.startsWith("--sun-misc") || argument.startsWith("-Dchronicle")) {
                command.add(argument);
            }
        }
        return command;
    }
}

package io.sluice.broker.log;

/**
 * Settings Chronicle reads once, when its classes load, so a process's {@code main} applies them first.
 *
 * <p>Chronicle Core looks for a build directory when it starts: the system property
 * {@code project.build.directory}, else a {@code target} or {@code build} directory in the working
 * directory or one of its parents, else it creates {@code target} in {@code java.io.tmpdir}. Only its test
 * helpers use that directory, but a node started anywhere outside a Maven module (its data directory,
 * the repository's root) left an empty {@code /tmp/target} behind, owned by whoever ran it first.
 * {@link #prepare()} names the temporary directory itself, which exists, so nothing is created.
 */
public final class ChronicleEnvironment {
    /** The property Chronicle Core reads for its build directory. */
    public static final String BUILD_DIRECTORY_PROPERTY = "project.build.directory";

    private ChronicleEnvironment() {
    }

    /** Names an existing directory as Chronicle's build directory, unless the property is set already. */
    public static void prepare() {
        if (System.getProperty(BUILD_DIRECTORY_PROPERTY) == null) {
            System.setProperty(BUILD_DIRECTORY_PROPERTY, System.getProperty("java.io.tmpdir"));
        }
    }
}

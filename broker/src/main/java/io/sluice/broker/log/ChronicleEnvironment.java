package io.sluice.broker.log;

import java.nio.file.Path;

/**
 * Settings Chronicle reads once, when its classes load, so a process's {@code main} applies them first.
 *
 * <p>Chronicle Core picks a build directory when it starts: the system property
 * {@code project.build.directory}, else a {@code target} or {@code build} directory in the working
 * directory or one of its parents, else it creates {@code target} in {@code java.io.tmpdir}. With the
 * property set it also creates {@code tmp} inside the named directory, if that directory exists. Sluice
 * uses neither (only Chronicle's test helpers and its memory-mapped time provider do), but a node started
 * anywhere outside a Maven module (its data directory, the repository's root) left an empty
 * {@code /tmp/target} behind, owned by whoever ran it first. {@link #prepare()} names a directory that is
 * never created, so Chronicle creates nothing.
 */
public final class ChronicleEnvironment {
    /** The property Chronicle Core reads for its build directory. */
    public static final String BUILD_DIRECTORY_PROPERTY = "project.build.directory";

    /** The build directory {@link #prepare()} names: in the temporary directory, and never created. */
    public static final String UNUSED_DIRECTORY = "sluice-chronicle-unused";

    private ChronicleEnvironment() {
    }

    /** Names a directory that does not exist as Chronicle's build directory, unless the property is set. */
    public static void prepare() {
        if (System.getProperty(BUILD_DIRECTORY_PROPERTY) == null) {
            System.setProperty(BUILD_DIRECTORY_PROPERTY,
                    Path.of(System.getProperty("java.io.tmpdir"), UNUSED_DIRECTORY).toString());
        }
    }
}

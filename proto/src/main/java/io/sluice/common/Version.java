package io.sluice.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this Sluice build, from the properties file the build writes. */
public final class Version {
    private static final String RESOURCE = "/io/sluice/sluice-version.properties";

    private Version() {
    }

    /** The build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE + " on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}

package io.sluice.client.admin;

/**
 * A config key with its effective value. Immutable.
 *
 * @param name          the key, e.g. {@code retention.ms}
 * @param value         the effective value as text
 * @param source        where it comes from
 * @param readOnly      whether it can be changed at run time
 * @param documentation one line of documentation, empty unless asked for
 */
public record ConfigEntry(String name, String value, Source source, boolean readOnly, String documentation) {
    /** Where a value comes from. */
    public enum Source {
        /** Set on this topic. */
        TOPIC,
        /** From the broker's configuration. */
        BROKER,
        /** The built-in default. */
        DEFAULT,
        /** Not reported. */
        UNKNOWN
    }
}

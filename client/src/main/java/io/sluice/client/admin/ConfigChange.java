package io.sluice.client.admin;

import java.util.Objects;

/**
 * One change to one config key: set a value, or delete the override so the default applies.
 * Immutable.
 *
 * @param name  the key
 * @param value the new value, or null to delete the override
 */
public record ConfigChange(String name, String value) {
    public ConfigChange {
        Objects.requireNonNull(name, "name");
    }

    /** Sets {@code name} to {@code value}. */
    public static ConfigChange set(String name, String value) {
        return new ConfigChange(name, Objects.requireNonNull(value, "value"));
    }

    /** Removes the override of {@code name}. */
    public static ConfigChange delete(String name) {
        return new ConfigChange(name, null);
    }

    /** Whether this deletes the override. */
    public boolean isDelete() {
        return value == null;
    }
}

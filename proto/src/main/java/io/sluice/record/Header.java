package io.sluice.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record header: a UTF-8 key and an optional byte value.
 *
 * @param key   the header's name, never null
 * @param value the header's value, or null
 */
public record Header(String key, byte[] value) {
    public Header {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header[" + key + "=" + (value == null ? "null" : value.length + " bytes") + "]";
    }
}

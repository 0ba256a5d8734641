package io.sluice.client.common;

/**
 * Turns the bytes of a key or value back into an object for the consumer. Called only from the
 * thread that calls {@code poll}.
 *
 * @param <T> the type produced
 */
@FunctionalInterface
public interface Deserializer<T> {
    /**
     * The object for {@code data}, which is null for a null key or a tombstone value.
     *
     * @param topic the topic the record came from
     */
    T deserialize(String topic, byte[] data);
}

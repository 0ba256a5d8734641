package io.sluice.client.common;

/**
 * Turns a key or value into bytes for the producer. Implementations must be thread-safe: the
 * producer calls them from every thread that sends.
 *
 * @param <T> the type serialized
 */
@FunctionalInterface
public interface Serializer<T> {
    /**
     * The bytes for {@code data}, or null for a null key or a tombstone value.
     *
     * @param topic the topic the record goes to
     */
    byte[] serialize(String topic, T data);
}

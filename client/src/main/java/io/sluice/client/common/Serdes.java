package io.sluice.client.common;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Serializers and deserializers for common types. Each preserves null. Thread-safe. */
public final class Serdes {
    private Serdes() {
    }

    /** Bytes as they are (no copy). */
    public static Serializer<byte[]> byteArraySerializer() {
        return (topic, data) -> data;
    }

    /** Bytes as they are (no copy). */
    public static Deserializer<byte[]> byteArrayDeserializer() {
        return (topic, data) -> data;
    }

    /** UTF-8 text. */
    public static Serializer<String> stringSerializer() {
        return (topic, data) -> data == null ? null : data.getBytes(StandardCharsets.UTF_8);
    }

    /** UTF-8 text. */
    public static Deserializer<String> stringDeserializer() {
        return (topic, data) -> data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    /** 8 bytes, big-endian, as Kafka's LongSerializer writes them. */
    public static Serializer<Long> longSerializer() {
        return (topic, data) -> data == null ? null : ByteBuffer.allocate(Long.BYTES).putLong(data).array();
    }

    /** 8 bytes, big-endian; any other length is refused. */
    public static Deserializer<Long> longDeserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            if (data.length != Long.BYTES) {
                throw new IllegalArgumentException("a long needs 8 bytes, got " + data.length);
            }
            return ByteBuffer.wrap(data).getLong();
        };
    }
}

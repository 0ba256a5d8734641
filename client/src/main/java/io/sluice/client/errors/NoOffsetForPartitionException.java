package io.sluice.client.errors;

import java.util.Map;

/** A partition has no committed offset and {@code auto.offset.reset} is {@code none}. */
public class NoOffsetForPartitionException extends InvalidOffsetException {
    private static final long serialVersionUID = 1L;

    public NoOffsetForPartitionException(String message, Map<String, Long> offsets) {
        super(message, offsets);
    }
}

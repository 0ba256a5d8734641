package io.sluice.client.errors;

import java.util.Map;

/**
 * The position of a partition lies below its log start or above its log end
 * ({@code OFFSET_OUT_OF_RANGE}) and {@code auto.offset.reset} is {@code none}.
 */
public class OffsetOutOfRangeException extends InvalidOffsetException {
    private static final long serialVersionUID = 1L;

    public OffsetOutOfRangeException(String message, Map<String, Long> offsets) {
        super(message, offsets);
    }
}

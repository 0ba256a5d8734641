package io.sluice.client.errors;

import io.sluice.proto.v1.ErrorCode;
import java.util.Map;

/**
 * A consumer has no valid position for some partitions: the position is outside the log
 * ({@link OffsetOutOfRangeException}) or there is none and {@code auto.offset.reset} is
 * {@code none} ({@link NoOffsetForPartitionException}). The map names each partition
 * ({@code "topic-partition"}) and the offset at fault (-1 when there is none); fix it with
 * {@code seek}, {@code seekToBeginning} or {@code seekToEnd}.
 */
public class InvalidOffsetException extends SluiceException {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, Long> offsets;

    public InvalidOffsetException(String message, Map<String, Long> offsets) {
        super(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, message);
        this.offsets = Map.copyOf(offsets);
    }

    /** The partitions at fault as {@code topic-partition}, with the offset that failed (-1: none). */
    public Map<String, Long> offsets() {
        return offsets == null ? Map.of() : offsets;
    }
}

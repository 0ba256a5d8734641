package io.sluice.jepsen.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;

/**
 * One entry of a history: a client process invoking or completing an operation.
 *
 * @param index   position in the history, from 0, strictly increasing
 * @param timeNs  nanoseconds since the start of the run
 * @param process the client process (a logical client; a crashed one is replaced by a new number)
 * @param type    invocation or completion kind
 * @param f       the operation: "send", "poll", "assign", "subscribe", "commit", "crash", ...
 * @param value   the operation's argument or result (JSON), never null (NullNode for none)
 * @param error   why it failed or is unknown, or null
 */
public record Op(long index, long timeNs, int process, OpType type, String f, JsonNode value, String error) {
    public Op {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(f, "f");
        value = value == null ? NullNode.getInstance() : value;
        if (index < 0 || timeNs < 0) {
            throw new IllegalArgumentException("index and time must be >= 0");
        }
    }

    /** Whether this entry completes an invocation. */
    public boolean isCompletion() {
        return type != OpType.INVOKE;
    }
}

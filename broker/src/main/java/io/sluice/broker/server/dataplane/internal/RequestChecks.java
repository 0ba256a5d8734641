package io.sluice.broker.server.dataplane.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * Request validation shared by the data-plane APIs: each check returns a message describing the
 * first problem, or null when the request passes. Not thread-safe (one instance per request).
 */
public final class RequestChecks {
    private final int maxPartitions;
    private final Set<String> topics = new HashSet<>();
    private final Set<String> partitions = new HashSet<>();
    private int partitionCount;
    private String problem;
    private boolean tooLarge;

    public RequestChecks(int maxPartitions) {
        this.maxPartitions = maxPartitions;
    }

    /** A topic entry: named, and named once. */
    public RequestChecks topic(String topic) {
        if (topic.isEmpty()) {
            fail("a topic name is empty");
        } else if (!topics.add(topic)) {
            fail("topic '" + topic + "' appears more than once");
        }
        return this;
    }

    /** A partition entry of {@code topic}: non-negative, once, within the request's partition limit. */
    public RequestChecks partition(String topic, int partition) {
        if (++partitionCount > maxPartitions) {
            tooLarge = true;
            problem = "the request names more than " + maxPartitions + " partitions";
            return this;
        }
        if (partition < 0) {
            fail("partition " + partition + " of '" + topic + "' is negative");
        } else if (!partitions.add(topic + '\u0000' + partition)) {
            fail("partition " + partition + " of '" + topic + "' appears more than once");
        }
        return this;
    }

    /** A field that must lie in [min, max]. */
    public RequestChecks range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            fail(field + " " + value + " is outside " + min + ".." + max);
        }
        return this;
    }

    /** Any other condition. */
    public RequestChecks require(boolean condition, String message) {
        if (!condition) {
            fail(message);
        }
        return this;
    }

    private void fail(String message) {
        if (problem == null) {
            problem = message;
        }
    }

    /** The first problem found, or null. */
    public String problem() {
        return problem;
    }

    /** Whether the problem is the request's size (REQUEST_TOO_LARGE) rather than a bad field. */
    public boolean tooLarge() {
        return tooLarge;
    }
}

package io.sluice.jepsen.checker.internal;

import io.sluice.jepsen.history.TopicPartition;

/**
 * One record an ok poll returned.
 *
 * @param value     the value read
 * @param partition where
 * @param offset    at which offset
 * @param process   the consuming process
 * @param index     the index of the poll's completion
 */
public record Read(String value, TopicPartition partition, long offset, int process, long index) {
}

package io.sluice.client.consumer.internal;

import io.sluice.client.common.TopicPartition;
import io.sluice.record.Record;
import io.sluice.record.TimestampType;

/**
 * A decoded record before deserialization, with what the consumer record needs from its batch.
 *
 * @param topicPartition the partition
 * @param record         the decoded record (offset, timestamp, key and value bytes, headers)
 * @param timestampType  the batch's timestamp type
 * @param leaderEpoch    the batch's leader epoch
 */
public record FetchedRecord(TopicPartition topicPartition, Record record, TimestampType timestampType,
        int leaderEpoch) {
}

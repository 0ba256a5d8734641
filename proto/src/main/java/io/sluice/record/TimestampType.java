package io.sluice.record;

/** What a batch's timestamps mean: bit 3 of the batch attributes. */
public enum TimestampType {
    /** Set by the producer when it created the record. */
    CREATE_TIME,
    /** Set by the leader when it appended the batch; every record of the batch shares it. */
    LOG_APPEND_TIME
}

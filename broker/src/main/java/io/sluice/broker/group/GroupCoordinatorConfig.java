package io.sluice.broker.group;

/**
 * Settings of the group coordinator. Immutable.
 *
 * @param sessionTimeoutMs          a member that sends no heartbeat for this long is removed (45 s)
 * @param heartbeatIntervalMs       how often members are told to heartbeat (5 s)
 * @param defaultRebalanceTimeoutMs how long a member may take to revoke partitions when it asks for
 *                                  the broker default (300 s); a member that does not revoke in time
 *                                  is removed
 * @param maxGroupSize              most members per group, static members that left included (1000)
 * @param defaultAssignor           assignor used when no member asks for one ("uniform")
 * @param maxOffsetMetadataBytes    largest commit metadata, in UTF-8 bytes (4096)
 * @param maxPartitionsPerRequest   most partitions one commit or fetch may name (10,000)
 * @param writeTimeoutMs            a metadata write still unanswered after this long is reported as
 *                                  timed out and the group is reloaded from the store (30 s)
 * @param maxQueuedRequestsPerGroup requests of one group waiting behind its in-flight write (1000)
 */
public record GroupCoordinatorConfig(int sessionTimeoutMs, int heartbeatIntervalMs, int defaultRebalanceTimeoutMs,
        int maxGroupSize, String defaultAssignor, int maxOffsetMetadataBytes, int maxPartitionsPerRequest,
        long writeTimeoutMs, int maxQueuedRequestsPerGroup) {

    /** The longest group id, member id, instance id, rack id or client id accepted. */
    public static final int MAX_ID_LENGTH = 255;
    /** The longest topic name (Kafka's limit). */
    public static final int MAX_TOPIC_NAME_LENGTH = 249;
    /** Most topics one member may subscribe to. */
    public static final int MAX_SUBSCRIBED_TOPICS = 10_000;
    /** Most groups one DescribeGroups, DeleteGroups or FindCoordinator request may name. */
    public static final int MAX_GROUPS_PER_REQUEST = 1000;

    public GroupCoordinatorConfig {
        if (sessionTimeoutMs < 1 || heartbeatIntervalMs < 1 || heartbeatIntervalMs >= sessionTimeoutMs) {
            throw new IllegalArgumentException("need 0 < heartbeat interval (" + heartbeatIntervalMs
                    + " ms) < session timeout (" + sessionTimeoutMs + " ms)");
        }
        if (defaultRebalanceTimeoutMs < 1 || maxGroupSize < 1 || maxOffsetMetadataBytes < 0
                || maxPartitionsPerRequest < 1 || writeTimeoutMs < 1 || maxQueuedRequestsPerGroup < 1) {
            throw new IllegalArgumentException("invalid group coordinator config " + this);
        }
        if (!"uniform".equals(defaultAssignor) && !"range".equals(defaultAssignor)) {
            throw new IllegalArgumentException("unknown default assignor '" + defaultAssignor
                    + "' (uniform or range)");
        }
    }

    /** The production defaults listed above. */
    public static GroupCoordinatorConfig defaults() {
        return new GroupCoordinatorConfig(45_000, 5_000, 300_000, 1000, "uniform", 4096, 10_000, 30_000, 1000);
    }

    /** These settings with other timeouts (tests use small ones). */
    public GroupCoordinatorConfig withTimeouts(int sessionMs, int heartbeatMs, int rebalanceMs) {
        return new GroupCoordinatorConfig(sessionMs, heartbeatMs, rebalanceMs, maxGroupSize, defaultAssignor,
                maxOffsetMetadataBytes, maxPartitionsPerRequest, writeTimeoutMs, maxQueuedRequestsPerGroup);
    }
}

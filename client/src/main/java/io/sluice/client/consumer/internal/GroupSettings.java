package io.sluice.client.consumer.internal;

import io.sluice.client.consumer.ConsumerConfig;

/**
 * Group membership settings, from {@link ConsumerConfig}.
 *
 * @param groupId            the group
 * @param instanceId         static membership id, or null
 * @param rackId             rack label, empty if none
 * @param serverAssignor     assignor name, empty for the broker's default
 * @param clientId           sent with heartbeats
 * @param maxPollIntervalMs  longest time between polls; also sent as the rebalance timeout
 * @param requestTimeoutMs   timeout of each heartbeat
 */
public record GroupSettings(String groupId, String instanceId, String rackId, String serverAssignor, String clientId,
        int maxPollIntervalMs, int requestTimeoutMs) {
    /** The settings a consumer configuration implies; null without {@code group.id}. */
    public static GroupSettings from(ConsumerConfig config, String clientId) {
        if (config.groupId() == null) {
            return null;
        }
        String instance = config.getString(ConsumerConfig.GROUP_INSTANCE_ID);
        return new GroupSettings(config.groupId(), instance == null || instance.isEmpty() ? null : instance,
                config.getString(ConsumerConfig.CLIENT_RACK), config.getString(ConsumerConfig.GROUP_REMOTE_ASSIGNOR),
                clientId, config.getInt(ConsumerConfig.MAX_POLL_INTERVAL_MS),
                config.getInt(ConsumerConfig.REQUEST_TIMEOUT_MS));
    }
}

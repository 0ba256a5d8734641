package io.sluice.client.admin;

/**
 * A consumer group in a listing. Immutable.
 *
 * @param groupId     the group id
 * @param state       {@code EMPTY}, {@code RECONCILING}, {@code STABLE} or {@code DEAD}
 * @param memberCount members now
 */
public record GroupListing(String groupId, String state, int memberCount) {
}

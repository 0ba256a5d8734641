package io.sluice.broker.replication;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The follower side of one broker: one {@link ReplicaFetcher} per leader broker, and which fetcher
 * each followed partition belongs to. When a partition's leader moves, it moves to the new leader's
 * fetcher; fetchers left without partitions are dropped.
 *
 * <p>Single-threaded: the replication core's thread calls every method.
 */
public final class ReplicaFetcherManager {
    private final int localBrokerId;
    private final LongSupplier brokerEpoch;
    private final ReplicaFetchTransport transport;
    private final Inbox inbox;
    private final FetcherConfig config;
    private final Map<Integer, ReplicaFetcher> fetchers = new LinkedHashMap<>();
    private final Map<TopicIdPartition, Integer> leaders = new HashMap<>();

    public ReplicaFetcherManager(int localBrokerId, LongSupplier brokerEpoch, ReplicaFetchTransport transport,
            Inbox inbox, FetcherConfig config) {
        this.localBrokerId = localBrokerId;
        this.brokerEpoch = brokerEpoch;
        this.transport = transport;
        this.inbox = inbox;
        this.config = config;
    }

    /** Fetches {@code replica} from {@code leaderId} from now on (its new epoch is read at each send). */
    public void follow(FollowerReplica replica, int leaderId) {
        if (leaderId == localBrokerId) {
            throw new IllegalArgumentException("broker " + localBrokerId + " cannot follow itself for " + replica.id());
        }
        unfollow(replica.id());
        fetchers.computeIfAbsent(leaderId, id -> new ReplicaFetcher(localBrokerId, id, brokerEpoch, transport, inbox,
                config)).addPartition(replica);
        leaders.put(replica.id(), leaderId);
    }

    /** Stops fetching a partition (it became leader, went offline, or was deleted). */
    public void unfollow(TopicIdPartition id) {
        Integer previous = leaders.remove(id);
        if (previous != null) {
            ReplicaFetcher fetcher = fetchers.get(previous);
            fetcher.removePartition(id);
        }
    }

    /** The leader a partition is fetched from, or -1. */
    public int leaderOf(TopicIdPartition id) {
        return leaders.getOrDefault(id, -1);
    }

    /** Polls every fetcher; returns the earliest time one of them needs a poll again. */
    public long poll(long nowMs) {
        long next = Long.MAX_VALUE;
        Iterator<ReplicaFetcher> it = fetchers.values().iterator();
        while (it.hasNext()) {
            ReplicaFetcher fetcher = it.next();
            if (fetcher.isEmpty()) {
                it.remove();
                continue;
            }
            next = Math.min(next, fetcher.poll(nowMs));
        }
        return next;
    }

    /** Number of leader brokers fetched from. */
    public int fetcherCount() {
        return fetchers.size();
    }

    /** Stops every fetcher. */
    public void clear() {
        fetchers.clear();
        leaders.clear();
    }
}

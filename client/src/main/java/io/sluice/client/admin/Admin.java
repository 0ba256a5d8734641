package io.sluice.client.admin;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Administers a Sluice cluster: topics and their configs, records, the cluster, consumer groups
 * and their offsets and lag. Every method returns at once with a future; each operation retries
 * retriable failures (a moved leader or coordinator, a controller election) until
 * {@code default.api.timeout.ms}, then fails with {@code SluiceTimeoutException}. Operations over
 * several items complete with {@link Results} that hold each item's success or error. Futures
 * complete on the admin client's thread: do not block in code chained on them. Thread-safe.
 * {@link SluiceAdmin} is the implementation.
 */
public interface Admin extends AutoCloseable {
    /** An admin client configured by {@code properties} (see {@link AdminConfig}). */
    static Admin create(Properties properties) {
        return new SluiceAdmin(new AdminConfig(properties));
    }

    /** An admin client configured by {@code settings} (see {@link AdminConfig}). */
    static Admin create(Map<String, ?> settings) {
        return new SluiceAdmin(new AdminConfig(settings));
    }

    /** Creates topics; each succeeds or fails on its own. */
    CompletableFuture<Results<String, CreatedTopic>> createTopics(Collection<NewTopic> topics);

    /** Deletes topics and their records. */
    CompletableFuture<Results<String, Void>> deleteTopics(Collection<String> names);

    /** The names of every topic. */
    CompletableFuture<Set<String>> listTopics();

    /** Partitions with leader, replicas and ISR; an unknown topic is a failure in the results. */
    CompletableFuture<Results<String, TopicDescription>> describeTopics(Collection<String> names);

    /** Grows topics to the given total partition counts. */
    CompletableFuture<Results<String, Void>> createPartitions(Map<String, Integer> newTotalCounts);

    /** Every config of each topic, with where its value comes from. */
    CompletableFuture<Results<String, Map<String, ConfigEntry>>> describeTopicConfigs(Collection<String> topics);

    /** Sets or removes config keys per topic; a topic's changes apply together or not at all. */
    CompletableFuture<Results<String, Void>> alterTopicConfigs(Map<String, List<ConfigChange>> changes);

    /** Looks up offsets (earliest, latest, by time) at the partition leaders. */
    CompletableFuture<Map<TopicPartition, ListedOffset>> listOffsets(Map<TopicPartition, OffsetQuery> queries);

    /**
     * Deletes each partition's records below the given offset (-1: everything up to the high
     * watermark); completes with the new log start offsets.
     */
    CompletableFuture<Map<TopicPartition, Long>> deleteRecords(Map<TopicPartition, Long> beforeOffsets);

    /** Brokers, controller, metadata quorum, under-replicated and offline partitions. */
    CompletableFuture<ClusterDescription> describeCluster();

    /**
     * Runs leader elections for {@code partitions}, or for every partition of the cluster when it is
     * empty (not null; Kafka's {@code electLeaders} takes null for that). {@link ElectionType#PREFERRED}
     * gives each partition back to its first replica where that replica is in sync; the controller also
     * does this by itself every {@code leader.imbalance.check.interval.seconds} unless
     * {@code auto.leader.rebalance.enable=false}. Completes when the controller has committed the
     * elections, with one outcome per partition: a partition already led by its preferred replica (for
     * UNCLEAN: one that has a leader) fails with ELECTION_NOT_NEEDED, one whose candidate is not an
     * active in-sync replica with ELIGIBLE_LEADERS_NOT_AVAILABLE.
     */
    CompletableFuture<Results<TopicPartition, Void>> electLeaders(ElectionType type, Set<TopicPartition> partitions);

    /** Every consumer group. */
    CompletableFuture<List<GroupListing>> listGroups();

    /** A group's state, members, and per partition its committed offset, log end offset, lag and owner. */
    CompletableFuture<GroupDescription> describeGroup(String groupId);

    /** Deletes groups (each must have no members) and their committed offsets. */
    CompletableFuture<Results<String, Void>> deleteGroups(Collection<String> groupIds);

    /** Every committed offset of a group. */
    CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> listGroupOffsets(String groupId);

    /** Commits offsets for a group that has no members (fails with {@code GroupNotEmptyException} otherwise). */
    CompletableFuture<Void> alterGroupOffsets(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets);

    /**
     * Moves a group's committed offsets on every partition of {@code topic} to what {@code target}
     * names (earliest, latest, a time), or to an explicit offset with {@link #resetGroupOffsets(String,
     * String, long, boolean)}. The group must have no members. With {@code dryRun} nothing is
     * committed. Completes with the new offsets.
     */
    CompletableFuture<Map<TopicPartition, Long>> resetGroupOffsets(String groupId, String topic, OffsetQuery target,
            boolean dryRun);

    /** As {@link #resetGroupOffsets(String, String, OffsetQuery, boolean)}, to {@code offset} on every partition. */
    CompletableFuture<Map<TopicPartition, Long>> resetGroupOffsets(String groupId, String topic, long offset,
            boolean dryRun);

    /** Closes, failing unfinished operations, waiting up to 30 seconds. */
    @Override
    void close();

    /** Closes, waiting at most {@code timeout}. */
    void close(Duration timeout);
}

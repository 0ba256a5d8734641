package io.sluice.broker.server.dataplane.internal;

import io.sluice.broker.partition.PartitionChanges;
import io.sluice.broker.partition.PartitionListener;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.broker.server.dataplane.DataPlaneConfig;

/**
 * The data-plane API handlers and the purgatories their delayed answers wait in, and the routing of
 * partition changes to the purgatories that care: high watermark, ISR and role changes re-check
 * acks=all produces; high watermark and role changes re-check consumer fetches; log end and role
 * changes re-check follower fetches; low watermark, ISR and role changes re-check DeleteRecords.
 *
 * <p>Built in two steps because the replica manager needs the listener and the handlers need the
 * replica manager: construct, pass {@link #partitionListener()} to the replica manager, then
 * {@link #attach}. Thread-safe after that.
 */
public final class ApiHandlers {
    private final DataPlaneConfig config;
    private final Purgatory<DelayedProduce> producePurgatory = new Purgatory<>("produce");
    private final Purgatory<DelayedRead> fetchPurgatory = new Purgatory<>("fetch");
    private final Purgatory<DelayedRead> replicaFetchPurgatory = new Purgatory<>("replica-fetch");
    private final Purgatory<DelayedDeleteRecords> deleteRecordsPurgatory = new Purgatory<>("delete-records");
    private ProduceHandler produce;
    private FetchHandler fetch;
    private ReplicaFetchHandler replicaFetch;
    private ListOffsetsHandler listOffsets;
    private DeleteRecordsHandler deleteRecords;

    public ApiHandlers(DataPlaneConfig config) {
        this.config = config;
    }

    /** Routes partition changes to the purgatories. */
    public PartitionListener partitionListener() {
        return this::onPartitionChange;
    }

    private void onPartitionChange(TopicIdPartition id, int changes) {
        if (PartitionChanges.any(changes, PartitionChanges.LOG_END | PartitionChanges.ROLE)) {
            replicaFetchPurgatory.checkAndComplete(id);
        }
        if (PartitionChanges.any(changes, PartitionChanges.HIGH_WATERMARK | PartitionChanges.ISR
                | PartitionChanges.ROLE)) {
            producePurgatory.checkAndComplete(id);
        }
        if (PartitionChanges.any(changes, PartitionChanges.HIGH_WATERMARK | PartitionChanges.ROLE)) {
            fetchPurgatory.checkAndComplete(id);
        }
        if (PartitionChanges.any(changes, PartitionChanges.LOW_WATERMARK | PartitionChanges.ISR
                | PartitionChanges.ROLE)) {
            deleteRecordsPurgatory.checkAndComplete(id);
        }
    }

    /** Creates the handlers over {@code replicas}. */
    public void attach(ReplicaManager replicas) {
        int maxPartitions = config.maxPartitionsPerRequest();
        produce = new ProduceHandler(replicas, producePurgatory, maxPartitions, config.defaultProduceTimeoutMs());
        fetch = new FetchHandler(replicas, fetchPurgatory, maxPartitions, config.maxFetchWaitMs(),
                config.defaultFetchMaxBytes(), config.defaultPartitionMaxBytes());
        replicaFetch = new ReplicaFetchHandler(replicas, replicaFetchPurgatory, maxPartitions, config.maxFetchWaitMs());
        listOffsets = new ListOffsetsHandler(replicas, maxPartitions);
        deleteRecords = new DeleteRecordsHandler(replicas, deleteRecordsPurgatory, maxPartitions);
    }

    public ProduceHandler produce() {
        return produce;
    }

    public FetchHandler fetch() {
        return fetch;
    }

    public ReplicaFetchHandler replicaFetch() {
        return replicaFetch;
    }

    public ListOffsetsHandler listOffsets() {
        return listOffsets;
    }

    public DeleteRecordsHandler deleteRecords() {
        return deleteRecords;
    }

    /** Expires delayed answers whose deadline passed; returns the next deadline. */
    public long poll(long nowMs) {
        long next = producePurgatory.poll(nowMs);
        next = Math.min(next, fetchPurgatory.poll(nowMs));
        next = Math.min(next, replicaFetchPurgatory.poll(nowMs));
        return Math.min(next, deleteRecordsPurgatory.poll(nowMs));
    }

    /** Answers everything still waiting (shutdown). */
    public void completeAll() {
        producePurgatory.completeAll();
        fetchPurgatory.completeAll();
        replicaFetchPurgatory.completeAll();
        deleteRecordsPurgatory.completeAll();
    }

    /** Delayed answers waiting, over all purgatories. */
    public int waiting() {
        return producePurgatory.size() + fetchPurgatory.size() + replicaFetchPurgatory.size()
                + deleteRecordsPurgatory.size();
    }
}

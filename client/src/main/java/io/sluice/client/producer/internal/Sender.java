package io.sluice.client.producer.internal;

import com.google.protobuf.UnsafeByteOperations;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.DeliveryTimeoutException;
import io.sluice.client.errors.Errors;
import io.sluice.client.errors.NetworkException;
import io.sluice.client.errors.NotLeaderException;
import io.sluice.client.errors.OutOfOrderSequenceException;
import io.sluice.client.errors.ProducerFencedException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.RetryPolicy;
import io.sluice.client.internal.metadata.Cluster;
import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.network.HostPort;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.InitProducerIdRequest;
import io.sluice.proto.v1.InitProducerIdResponse;
import io.sluice.proto.v1.PartitionProduceData;
import io.sluice.proto.v1.PartitionProduceResponse;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import io.sluice.proto.v1.ProducerServiceGrpc;
import io.sluice.proto.v1.TopicProduceData;
import io.sluice.proto.v1.TopicProduceResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The producer's single-threaded, poll-driven core: each {@link #poll} runs the answers that
 * arrived, keeps metadata and the producer id current, moves records into batches once their
 * topic is known, expires what waited too long, and sends every ready batch to its partition's
 * leader over that broker's produce stream, at most {@code max.in.flight.requests.per.connection}
 * requests per broker. A thin driver thread ({@link SenderThread}) calls {@code poll} in a loop;
 * tests call it directly under a {@code ManualClock} with a fake transport.
 *
 * <p>Every batch outcome goes through {@link #completeBatch}, the one place that decides between
 * success, retry (with backoff, after a metadata refresh or a leader hint where the error calls
 * for it, within {@code delivery.timeout.ms} and {@code retries}) and failure. Ordering and
 * idempotence rules are in {@link SequenceTracker}. Sequence errors are handled the way Kafka's
 * KIP-360 does: a batch refused as out of order behind an unresolved earlier batch is simply
 * retried after it; a real gap (the first unresolved batch refused, or a stamped batch that failed
 * for good) bumps the producer epoch once nothing is in flight and no queued batch has an unknown
 * outcome, and the batches the broker certainly refused are stamped anew under the new epoch. A
 * batch whose earlier attempt may be in the log is never restamped, so nothing is duplicated.
 *
 * <p>Not thread-safe: only the sender thread (or a test) calls it.
 */
public final class Sender {
    private final SenderSettings settings;
    private final RecordAccumulator accumulator;
    private final BufferPool pool;
    private final MetadataManager metadata;
    private final NetworkClient network;
    private final Backoff backoff;
    private final SequenceTracker tracker;

    private long nowMs;
    private long producerId = -1;
    private short producerEpoch = -1;
    private boolean initInFlight;
    private long nextInitAttemptMs;
    private int initFailures;
    private boolean bumpRequested;
    private volatile SluiceException fatalError;
    private long nextReadyMs = Long.MAX_VALUE;
    /** Until when a retry waits for metadata to show its partition's new leader. */
    private long watchLeadersUntilMs = Long.MIN_VALUE;
    private long nextWatchRefreshMs = Long.MIN_VALUE;

    public Sender(SenderSettings settings, RecordAccumulator accumulator, BufferPool pool, MetadataManager metadata,
            NetworkClient network, Backoff backoff) {
        this.settings = settings;
        this.accumulator = accumulator;
        this.pool = pool;
        this.metadata = metadata;
        this.network = network;
        this.backoff = backoff;
        int perPartition = settings.idempotent()
                ? Math.min(settings.maxInFlightPerBroker(), 5) : settings.maxInFlightPerBroker();
        this.tracker = new SequenceTracker(settings.idempotent(), perPartition);
    }

    /** One round of work at {@code now} (monotonic ms). */
    public void poll(long now) {
        this.nowMs = now;
        network.poll(now);
        refreshWhileRetriesWait();
        metadata.poll(now, network);
        if (fatalError != null) {
            abortQueued(fatalError);
            return;
        }
        placeAwaitingMetadata();
        for (ProducerBatch expired : accumulator.expire(now, settings.deliveryTimeoutMs())) {
            fail(expired, deliveryTimeout(expired));
        }
        maybeInitProducerId();
        drainAndSend();
        metadata.poll(now, network);
    }

    /**
     * While a batch waits out its backoff after an error that called for new metadata, refreshes
     * every {@code retry.backoff.ms}: once the metadata shows a new leader the batch goes at once
     * ({@link RecordAccumulator#drain}) instead of after its backoff, which can reach
     * {@code retry.backoff.max.ms}.
     */
    private void refreshWhileRetriesWait() {
        if (nowMs < watchLeadersUntilMs && nowMs >= nextWatchRefreshMs) {
            metadata.requestUpdate();
            nextWatchRefreshMs = nowMs + backoff.initialMs();
        }
    }

    private void placeAwaitingMetadata() {
        Cluster cluster = metadata.cluster();
        for (RecordAccumulator.Rejected r : accumulator.placeAwaitingMetadata(cluster, nowMs, settings.maxBlockMs())) {
            pool.release(r.record().reservedBytes());
            r.record().future().completeExceptionally(r.error());
            if (r.record().callback() != null) {
                r.record().callback().onCompletion(null, r.error());
            }
        }
        if (accumulator.hasRecordsAwaitingMetadata()) {
            metadata.addTopics(accumulator.topicsAwaitingMetadata());
            metadata.requestUpdate();
        }
    }

    private void drainAndSend() {
        boolean freshAllowed = !settings.idempotent() || (producerId >= 0 && !bumpRequested);
        boolean holdRefused = settings.idempotent() && bumpRequested;
        if (holdRefused) {
            tracker.settleRefusals();
        }
        nextReadyMs = Long.MAX_VALUE;
        for (int round = 0; round < settings.maxInFlightPerBroker(); round++) {
            Cluster cluster = metadata.cluster();
            RecordAccumulator.Drained drained = accumulator.drain(cluster, nowMs,
                    node -> network.inFlight(addressOf(cluster, node)) < settings.maxInFlightPerBroker(),
                    batch -> tracker.canSend(batch, freshAllowed, holdRefused), settings.maxRequestBytes());
            nextReadyMs = Math.min(nextReadyMs, drained.nextReadyMs());
            if (!drained.topicsWithoutLeader().isEmpty()) {
                metadata.requestUpdate();
            }
            if (drained.byNode().isEmpty()) {
                return;
            }
            drained.byNode().forEach((node, batches) -> sendProduce(addressOf(cluster, node), batches));
        }
    }

    private static HostPort addressOf(Cluster cluster, int node) {
        return cluster.brokers().get(node).address();
    }

    private void sendProduce(HostPort to, List<ProducerBatch> batches) {
        Map<String, TopicProduceData.Builder> byTopic = new LinkedHashMap<>();
        for (ProducerBatch b : batches) {
            tracker.onSend(b, producerId, producerEpoch);
            byTopic.computeIfAbsent(b.topicPartition().topic(), t -> TopicProduceData.newBuilder().setTopic(t))
                    .addPartitions(PartitionProduceData.newBuilder()
                            .setPartition(b.topicPartition().partition())
                            .setRecords(UnsafeByteOperations.unsafeWrap(b.buffer())));
        }
        ProduceRequest.Builder request = ProduceRequest.newBuilder()
                .setAcks(settings.acks())
                .setTimeoutMs(settings.requestTimeoutMs())
                .setClientId(settings.clientId());
        byTopic.values().forEach(request::addTopics);
        network.sendProduce(to, request.build(), nowMs, settings.requestTimeoutMs(),
                (response, error) -> handleProduceResponse(batches, response, error));
    }

    private void handleProduceResponse(List<ProducerBatch> batches, ProduceResponse response, SluiceException error) {
        SluiceException requestError = error;
        if (requestError == null && response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            requestError = Errors.toException(response.getErrorCode(), response.getErrorMessage());
        }
        Map<TopicPartition, PartitionProduceResponse> results = new HashMap<>();
        if (requestError == null) {
            for (TopicProduceResponse t : response.getTopicsList()) {
                for (PartitionProduceResponse p : t.getPartitionsList()) {
                    results.put(new TopicPartition(t.getTopic(), p.getPartition()), p);
                }
            }
        }
        for (ProducerBatch b : batches) {
            PartitionProduceResponse result = results.get(b.topicPartition());
            if (requestError != null) {
                completeBatch(b, requestError, null);
            } else if (result == null) {
                completeBatch(b, new SluiceException(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR,
                        "the produce answer did not mention " + b.topicPartition()), null);
            } else if (result.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                completeBatch(b, Errors.toException(result.getErrorCode(), result.getErrorMessage(),
                        result.hasCurrentLeader() ? result.getCurrentLeader() : null), null);
            } else {
                completeBatch(b, null, result);
            }
        }
    }

    /**
     * The one place where a batch's attempt ends: acknowledged, retried, or failed. See the class
     * comment for the rules.
     */
    void completeBatch(ProducerBatch batch, SluiceException error, PartitionProduceResponse result) {
        tracker.onAttemptDone(batch);
        if (fatalError != null) {
            fail(batch, fatalError);
            return;
        }
        if (error == null) {
            tracker.onResolved(batch);
            batch.complete(result.getBaseOffset(), result.getLogAppendTimeMs());
            release(batch);
            return;
        }
        batch.lastError = error;
        if (error instanceof NotLeaderException notLeader) {
            metadata.applyLeaderHint(batch.topicPartition(), notLeader.leaderHint().orElse(null));
        }
        if (error instanceof ProducerFencedException) {
            fatal(error);
            fail(batch, error);
            return;
        }
        boolean expired = nowMs - batch.createdMs() >= settings.deliveryTimeoutMs();
        if (settings.idempotent() && error instanceof OutOfOrderSequenceException) {
            // The broker refused this attempt, and says nothing of an earlier attempt that got no
            // answer: the broker answering may be out of date (cut off, still on an old epoch) while
            // the real leader appended that attempt. possiblyAppended stays as it was; a batch that
            // may be in the log is resent under this epoch, never given new sequence numbers.
            if (!batch.possiblyAppended && tracker.isFirstUnresolved(batch)) {
                bumpRequested = true;
            }
            retryOrFail(batch, expired, error);
            if (batch.possiblyAppended && !batch.isCompleted()) {
                // The answer may come from a broker that no longer leads: look for the real leader.
                metadata.requestUpdate();
                watchLeaders(batch);
            }
            return;
        }
        RetryPolicy.Decision decision = RetryPolicy.decide(error);
        if (!decision.retry()) {
            fail(batch, error);
            return;
        }
        if (isOutcomeUnknown(error)) {
            batch.possiblyAppended = true;
        }
        if (decision.refreshMetadata()) {
            metadata.requestUpdate();
        }
        retryOrFail(batch, expired, error);
        if (decision.refreshMetadata() && !batch.isCompleted()) {
            watchLeaders(batch);
        }
    }

    /** Keeps refreshing metadata until {@code batch}'s retry, so that it goes to a new leader at once. */
    private void watchLeaders(ProducerBatch batch) {
        watchLeadersUntilMs = Math.max(watchLeadersUntilMs, batch.retryAtMs);
        nextWatchRefreshMs = Math.max(nextWatchRefreshMs, nowMs + backoff.initialMs());
    }

    private void retryOrFail(ProducerBatch batch, boolean expired, SluiceException error) {
        if (expired) {
            fail(batch, deliveryTimeout(batch));
        } else if (batch.attempts > settings.retries()) {
            fail(batch, error);
        } else {
            batch.retryAtMs = nowMs + backoff.backoffMs(batch.attempts);
            accumulator.requeue(batch);
        }
    }

    private static boolean isOutcomeUnknown(SluiceException error) {
        return error instanceof SluiceTimeoutException || error instanceof NetworkException
                || error.errorCode() == ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS_AFTER_APPEND;
    }

    private DeliveryTimeoutException deliveryTimeout(ProducerBatch batch) {
        String last = batch.lastError == null ? "" : "; last error: " + batch.lastError.getMessage();
        String unknown = batch.possiblyAppended ? " (it may have been written: an earlier attempt got no answer)" : "";
        return new DeliveryTimeoutException(batch.recordCount() + " record(s) for " + batch.topicPartition()
                + " not acknowledged within delivery.timeout.ms (" + settings.deliveryTimeoutMs() + " ms) after "
                + batch.attempts + " attempt(s)" + unknown + last, batch.possiblyAppended, batch.lastError);
    }

    private void fail(ProducerBatch batch, SluiceException error) {
        tracker.onResolved(batch);
        if (settings.idempotent() && batch.hasSequence()) {
            // Its sequence numbers may now be a gap for the broker: start a new epoch.
            bumpRequested = true;
        }
        batch.fail(error);
        release(batch);
    }

    private void release(ProducerBatch batch) {
        pool.release(batch.reservedBytes());
        accumulator.onCompleted(batch);
    }

    private void maybeInitProducerId() {
        if (!settings.idempotent() || initInFlight || nowMs < nextInitAttemptMs) {
            return;
        }
        boolean bump = producerId >= 0 && bumpRequested;
        if (producerId >= 0 && !bump) {
            return;
        }
        if (bump && !tracker.readyForEpochBump(accumulator.queuedBatches())) {
            return;
        }
        InitProducerIdRequest request = InitProducerIdRequest.newBuilder()
                .setProducerId(bump ? producerId : -1)
                .setProducerEpoch(bump ? producerEpoch : -1)
                .build();
        initInFlight = true;
        HostPort node = metadata.pickNode(network);
        network.send(node, ProducerServiceGrpc.getInitProducerIdMethod(), request, nowMs,
                settings.requestTimeoutMs(), (response, error) -> handleInitProducerId(node, response, error));
    }

    private void handleInitProducerId(HostPort node, InitProducerIdResponse response, SluiceException error) {
        initInFlight = false;
        SluiceException failure = error;
        if (failure == null && response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            failure = Errors.toException(response.getErrorCode(), response.getErrorMessage());
        }
        if (failure != null) {
            RetryPolicy.Decision decision = RetryPolicy.decide(failure);
            if (!decision.retry()) {
                fatal(failure);
                return;
            }
            metadata.skipNode(node);
            initFailures++;
            nextInitAttemptMs = nowMs + backoff.backoffMs(initFailures);
            return;
        }
        initFailures = 0;
        producerId = response.getProducerId();
        producerEpoch = (short) response.getProducerEpoch();
        if (bumpRequested) {
            tracker.resetSequences(accumulator.queuedBatches());
            bumpRequested = false;
        }
    }

    private void fatal(SluiceException error) {
        if (fatalError == null) {
            fatalError = error;
        }
        abortQueued(error);
    }

    /**
     * Makes the producer unusable with {@code error}: fails everything queued now, and every batch
     * whose attempt ends later (call again after closing the network so that in-flight batches
     * fail too).
     */
    public void forceClose(SluiceException error) {
        fatal(error);
    }

    /** Fails everything queued (not in flight) with {@code error}. */
    public void abortQueued(SluiceException error) {
        RecordAccumulator.Aborted aborted = accumulator.abortQueued();
        for (ProducerBatch b : aborted.batches()) {
            fail(b, error);
        }
        for (PendingRecord r : aborted.records()) {
            pool.release(r.reservedBytes());
            r.future().completeExceptionally(error);
            if (r.callback() != null) {
                r.callback().onCompletion(null, error);
            }
        }
    }

    /** The error that made the producer unusable, if any (readable from any thread). */
    public Optional<SluiceException> fatalError() {
        return Optional.ofNullable(fatalError);
    }

    /** Whether records are still queued, waiting for metadata, or in flight. */
    public boolean hasPendingWork() {
        return accumulator.hasIncomplete() || network.inFlight() > 0;
    }

    /** The monotonic time of the next scheduled work, for the driver's wait. */
    public long nextPollMs() {
        long next = Math.min(nextReadyMs, Math.min(network.nextDeadlineMs(), metadata.nextPollMs()));
        if (nowMs < watchLeadersUntilMs) {
            next = Math.min(next, nextWatchRefreshMs);
        }
        if (settings.idempotent() && !initInFlight && (producerId < 0 || bumpRequested)) {
            next = Math.min(next, nextInitAttemptMs);
        }
        return Math.min(next, accumulator.nextExpiryMs(settings.deliveryTimeoutMs(), settings.maxBlockMs()));
    }

    /** The current producer id and epoch (for tests and diagnostics): -1 before the first. */
    public long producerId() {
        return producerId;
    }

    /** The current producer epoch, -1 before the first. */
    public short producerEpoch() {
        return producerEpoch;
    }

    /** The next sequence number for {@code tp} (for tests). */
    int nextSequence(TopicPartition tp) {
        return tracker.nextSequence(tp);
    }
}

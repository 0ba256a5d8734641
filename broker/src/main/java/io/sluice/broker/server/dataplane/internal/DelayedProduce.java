package io.sluice.broker.server.dataplane.internal;

import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A produce request whose acks=all batches wait for the high watermark: re-checked when a watched
 * partition's high watermark, ISR or role changes; answered when none waits any more, or at its
 * deadline (waiting batches then answer REQUEST_TIMED_OUT: outcome unknown). Thread-safe through
 * {@link DelayedOperation}.
 */
final class DelayedProduce extends DelayedOperation {
    private final ProduceRequest request;
    private final Acks acks;
    private final List<PartitionSlot> slots;
    private final ProduceHandler handler;
    private final Consumer<ProduceResponse> respond;

    DelayedProduce(long deadlineMs, ProduceRequest request, Acks acks, List<PartitionSlot> slots,
            ProduceHandler handler, Consumer<ProduceResponse> respond) {
        super(deadlineMs);
        this.request = request;
        this.acks = acks;
        this.slots = slots;
        this.handler = handler;
        this.respond = respond;
    }

    /** The partitions with batches still waiting for the ISR (empty: answer at once). */
    synchronized List<TopicIdPartition> waitingKeys() {
        List<TopicIdPartition> keys = new ArrayList<>();
        for (PartitionSlot slot : slots) {
            if (slot.isWaiting() && !keys.contains(slot.key())) {
                keys.add(slot.key());
            }
        }
        return keys;
    }

    @Override
    protected boolean canComplete() {
        boolean waiting = false;
        for (PartitionSlot slot : slots) {
            if (slot.isWaiting()) {
                handler.check(slot);
                waiting |= slot.isWaiting();
            }
        }
        return !waiting;
    }

    @Override
    protected void onComplete() {
        canComplete();
        respond.accept(handler.buildResponse(request, acks, slots));
    }
}

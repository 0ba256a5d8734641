package io.sluice.broker.server.dataplane.internal;

import io.sluice.proto.v1.DeleteRecordsRequest;
import io.sluice.proto.v1.DeleteRecordsResponse;
import java.util.List;
import java.util.function.Consumer;

/**
 * A DeleteRecords request waiting for the ISR's low watermark to reach each partition's new log
 * start: re-checked when a watched partition's low watermark or role changes, answered when none
 * waits, or at the deadline (waiting partitions answer REQUEST_TIMED_OUT). Thread-safe through
 * {@link DelayedOperation}.
 */
final class DelayedDeleteRecords extends DelayedOperation {
    private final DeleteRecordsHandler handler;
    private final DeleteRecordsRequest request;
    private final List<DeleteRecordsHandler.Slot> slots;
    private final Consumer<DeleteRecordsResponse> respond;

    DelayedDeleteRecords(long deadlineMs, DeleteRecordsHandler handler, DeleteRecordsRequest request,
            List<DeleteRecordsHandler.Slot> slots, Consumer<DeleteRecordsResponse> respond) {
        super(deadlineMs);
        this.handler = handler;
        this.request = request;
        this.slots = slots;
        this.respond = respond;
    }

    @Override
    protected boolean canComplete() {
        boolean waiting = false;
        for (DeleteRecordsHandler.Slot slot : slots) {
            if (slot.waiting) {
                handler.check(slot);
                waiting |= slot.waiting;
            }
        }
        return !waiting;
    }

    @Override
    protected void onComplete() {
        canComplete();
        respond.accept(handler.buildResponse(request, slots));
    }
}

package io.sluice.broker.group.internal;

import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.DeleteGroupResult;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.OffsetCommitRequest;
import io.sluice.proto.v1.OffsetCommitResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A request waiting in a group's queue, with the future its answer completes. Every op is answered
 * exactly once: {@link #fail} answers with an error in the rpc's own answer form. Not thread-safe: the
 * coordinator thread owns it.
 */
public abstract class QueuedOp {
    QueuedOp() {
    }

    /** Answers with {@code code}. */
    public abstract void fail(ErrorCode code, String message);

    /** A ConsumerGroupHeartbeat; its answer is computed first and sent once the group's write is done. */
    public static final class Heartbeat extends QueuedOp {
        final ConsumerGroupHeartbeatRequest request;
        final String clientHost;
        final CompletableFuture<ConsumerGroupHeartbeatResponse> future;
        ConsumerGroupHeartbeatResponse response;

        public Heartbeat(ConsumerGroupHeartbeatRequest request, String clientHost,
                CompletableFuture<ConsumerGroupHeartbeatResponse> future) {
            this.request = request;
            this.clientHost = clientHost;
            this.future = future;
        }

        void complete() {
            future.complete(response);
        }

        @Override
        public void fail(ErrorCode code, String message) {
            future.complete(ErrorResponses.heartbeat(request, code, message));
        }
    }

    /** An OffsetCommit: needs its own CommitOffsets write. */
    public static final class Commit extends QueuedOp {
        final OffsetCommitRequest request;
        final CompletableFuture<OffsetCommitResponse> future;
        OffsetCommitPlan plan;

        public Commit(OffsetCommitRequest request, CompletableFuture<OffsetCommitResponse> future) {
            this.request = request;
            this.future = future;
        }

        @Override
        public void fail(ErrorCode code, String message) {
            future.complete(plan == null ? ErrorResponses.offsetCommit(request, code, message)
                    : plan.answer(code, message));
        }
    }

    /** The deletion of one group: needs its own DeleteGroup write. */
    public static final class Delete extends QueuedOp {
        final String groupId;
        final CompletableFuture<DeleteGroupResult> future;

        public Delete(String groupId, CompletableFuture<DeleteGroupResult> future) {
            this.groupId = groupId;
            this.future = future;
        }

        @Override
        public void fail(ErrorCode code, String message) {
            future.complete(ErrorResponses.deleteGroup(groupId, code, message));
        }
    }
}

package io.sluice.broker.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.proto.internal.v1.AlterPartitionRequest;
import io.sluice.proto.internal.v1.AlterPartitionResponse;
import io.sluice.proto.internal.v1.PartitionChangeRequest;
import io.sluice.proto.internal.v1.PartitionChangeResult;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AlterPartitionManagerTest {
    private final List<AlterPartitionRequest> sent = new ArrayList<>();
    private final List<CompletableFuture<AlterPartitionResponse>> answers = new ArrayList<>();
    private final Inbox inbox = new Inbox();
    private final AlterPartitionManager manager = new AlterPartitionManager(1, () -> 9, request -> {
        sent.add(request);
        CompletableFuture<AlterPartitionResponse> answer = new CompletableFuture<>();
        answers.add(answer);
        return answer;
    }, inbox, 100, 1_000);
    private final List<PartitionChangeResult> results = new ArrayList<>();

    private static PartitionChangeRequest proposal(int partition, int partitionEpoch) {
        return PartitionChangeRequest.newBuilder().setTopicId("t").setPartition(partition).setLeaderEpoch(1)
                .setPartitionEpoch(partitionEpoch).addNewIsr(1).build();
    }

    @Test
    void proposalsBetweenTwoPollsGoOutTogetherOneRequestAtATime() {
        manager.submit(proposal(0, 1), (r, now) -> results.add(r));
        manager.submit(proposal(1, 1), (r, now) -> results.add(r));
        manager.submit(proposal(1, 2), (r, now) -> results.add(r));
        manager.poll(0);
        assertEquals(1, sent.size());
        assertEquals(1, sent.get(0).getBrokerId());
        assertEquals(9, sent.get(0).getBrokerEpoch());
        assertEquals(2, sent.get(0).getPartitionsCount(), "the later proposal for partition 1 replaced the queued one");
        manager.submit(proposal(2, 1), (r, now) -> results.add(r));
        manager.poll(1);
        assertEquals(1, sent.size(), "one request in flight");
        answers.get(0).complete(AlterPartitionResponse.newBuilder().addPartitions(PartitionChangeResult.newBuilder()
                .setTopicId("t").setPartition(0).setErrorCode(ErrorCode.ERROR_CODE_NONE).setPartitionEpoch(2)).build());
        inbox.drain(2);
        assertEquals(2, results.size());
        assertEquals(ErrorCode.ERROR_CODE_NONE, results.get(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, results.get(1).getErrorCode(),
                "a partition the answer did not mention has an unknown outcome");
        manager.poll(2);
        assertEquals(2, sent.size());
    }

    @Test
    void requestErrorsAndLostAnswersReachEveryProposal() {
        manager.submit(proposal(0, 1), (r, now) -> results.add(r));
        manager.poll(0);
        answers.get(0).complete(AlterPartitionResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NOT_CONTROLLER)
                .build());
        inbox.drain(1);
        assertEquals(ErrorCode.ERROR_CODE_NOT_CONTROLLER, results.get(0).getErrorCode());
        manager.submit(proposal(0, 1), (r, now) -> results.add(r));
        manager.poll(50);
        assertEquals(1, sent.size(), "backing off after an error");
        manager.poll(101);
        assertEquals(2, sent.size());
        manager.poll(1_101);
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, results.get(1).getErrorCode(), "no answer in time");
        answers.get(1).completeExceptionally(new RuntimeException("late"));
        inbox.drain(1_102);
        assertEquals(2, results.size(), "a late answer to a timed-out request is ignored");
    }
}

package io.sluice.broker.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.proto.internal.v1.AllocateProducerIdsRequest;
import io.sluice.proto.internal.v1.AllocateProducerIdsResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.InitProducerIdRequest;
import io.sluice.proto.v1.InitProducerIdResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ProducerIdManagerTest {
    private final List<AllocateProducerIdsRequest> asked = new ArrayList<>();
    private long nextBlock = 1000;
    private boolean controllerDown;

    private final ProducerIdManager manager = new ProducerIdManager(7, () -> 42L, request -> {
        asked.add(request);
        if (controllerDown) {
            return CompletableFuture.failedFuture(new RuntimeException("no controller"));
        }
        AllocateProducerIdsResponse block = AllocateProducerIdsResponse.newBuilder()
                .setFirstProducerId(nextBlock).setSize(3).build();
        nextBlock += 3;
        return CompletableFuture.completedFuture(block);
    });

    private InitProducerIdResponse init(long id, int epoch) {
        return manager.init(InitProducerIdRequest.newBuilder().setProducerId(id).setProducerEpoch(epoch).build())
                .join();
    }

    @Test
    void idsComeFromBlocksAndNeverRepeat() {
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            InitProducerIdResponse response = init(-1, -1);
            assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode());
            assertEquals(0, response.getProducerEpoch());
            ids.add(response.getProducerId());
        }
        assertEquals(7, ids.size());
        assertEquals(3, asked.size(), "one block of 3 per 3 ids");
        assertEquals(7, asked.get(0).getBrokerId());
        assertEquals(42, asked.get(0).getBrokerEpoch());
    }

    @Test
    void aKnownProducerGetsItsNextEpochAndANewIdPastTheLast() {
        assertEquals(5, init(1000, 4).getProducerEpoch());
        assertEquals(1000, init(1000, 4).getProducerId());
        InitProducerIdResponse exhausted = init(1000, Short.MAX_VALUE);
        assertEquals(0, exhausted.getProducerEpoch());
        assertEquals(1000, exhausted.getProducerId(), "the first id of the first block: a new id");
    }

    @Test
    void badRequestsAndAnUnreachableControllerAreAnswered() {
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, init(1000, -1).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, init(-7, -1).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_UNSUPPORTED_FEATURE, manager.init(InitProducerIdRequest.newBuilder()
                .setProducerId(-1).setProducerEpoch(-1).setTransactionalId("tx").build()).join().getErrorCode());
        controllerDown = true;
        List<InitProducerIdResponse> answers = new ArrayList<>();
        manager.accept(InitProducerIdRequest.newBuilder().setProducerId(-1).setProducerEpoch(-1).build(),
                new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(InitProducerIdResponse value) {
                        answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        throw new AssertionError(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, answers.get(0).getErrorCode());
        controllerDown = false;
        assertEquals(ErrorCode.ERROR_CODE_NONE, init(-1, -1).getErrorCode(), "a later request asks again");
    }
}

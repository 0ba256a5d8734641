package io.sluice.metastore.internal;

import static io.sluice.metastore.Commands.commit;
import static io.sluice.metastore.Commands.register;
import static io.sluice.metastore.Commands.uuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.internal.v1.BatchResults;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Group commit without Raft: a sender that holds every entry until the test answers it shows what
 * goes into each log entry, in which order, and which result each submitter gets.
 */
class CommandBatcherTest {
    /** Entries handed to the sender, each with the future the test completes. */
    private final List<MetaCommand> entries = new ArrayList<>();
    private final List<CompletableFuture<MetaResult>> replies = new ArrayList<>();

    private CompletableFuture<MetaResult> send(MetaCommand entry) {
        CompletableFuture<MetaResult> f = new CompletableFuture<>();
        entries.add(entry);
        replies.add(f);
        return f;
    }

    private CommandBatcher batcher(int maxInFlight, int maxBatchBytes, int maxQueued) {
        return new CommandBatcher(this::send, new CommandBatcher.Limits(maxInFlight, maxBatchBytes, maxQueued));
    }

    private static MetaCommand offset(long n) {
        return commit("g", uuid(1), 0, n);
    }

    /** Answers entry {@code i} the way the applier would: one NONE result per command, or the single result. */
    private void answer(int i) {
        MetaCommand entry = entries.get(i);
        if (entry.hasBatch()) {
            BatchResults.Builder b = BatchResults.newBuilder();
            for (MetaCommand c : entry.getBatch().getCommandsList()) {
                b.addResults(MetaResult.newBuilder().setAppliedIndex(i + 1)
                        .setErrorMessage(String.valueOf(c.getCommitOffsets().getOffsets(0).getCommittedOffset())));
            }
            replies.get(i).complete(MetaResult.newBuilder().setAppliedIndex(i + 1).setBatchResults(b).build());
        } else {
            replies.get(i).complete(MetaResult.newBuilder().setAppliedIndex(i + 1).build());
        }
    }

    @Test
    void aLoneCommandGoesAtOnceAndUnwrapped() {
        CommandBatcher b = batcher(4, 1 << 16, 100);
        CompletableFuture<MetaResult> f = b.submit(offset(1));
        assertEquals(List.of(offset(1)), entries);
        answer(0);
        assertEquals(1, f.join().getAppliedIndex());
    }

    @Test
    void commandsArrivingDuringAnEntryShareTheNextOneInOrderAndGetTheirOwnResults() {
        CommandBatcher b = batcher(4, 1 << 16, 100);
        b.submit(offset(0));
        List<CompletableFuture<MetaResult>> later = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            later.add(b.submit(offset(i)));
        }
        assertEquals(1, entries.size(), "no second entry before a full batch waits");
        answer(0);
        assertEquals(2, entries.size());
        MetaCommand batch = entries.get(1);
        assertEquals(5, batch.getBatch().getCommandsCount());
        for (int i = 0; i < 5; i++) {
            assertEquals(offset(i + 1), batch.getBatch().getCommands(i));
        }
        answer(1);
        for (int i = 0; i < 5; i++) {
            assertEquals(String.valueOf(i + 1), later.get(i).join().getErrorMessage(), "each gets its own result");
        }
        assertEquals(2, b.sentCounts()[0]);
        assertEquals(6, b.sentCounts()[1]);
    }

    @Test
    void aCommandThatCannotBeBatchedGoesAloneWithoutOvertaking() {
        CommandBatcher b = batcher(4, 1 << 16, 100);
        b.submit(offset(0));
        b.submit(offset(1));
        b.submit(register(1, "a"));
        b.submit(offset(2));
        answer(0);
        assertEquals(offset(1), entries.get(1));
        answer(1);
        assertEquals(register(1, "a"), entries.get(2));
        answer(2);
        assertEquals(offset(2), entries.get(3));
    }

    @Test
    void aFullBatchWaitingIsPipelinedBehindTheOutstandingEntry() {
        int oneCommand = offset(1).getSerializedSize() + 8;
        CommandBatcher b = batcher(2, 3 * oneCommand, 100);
        b.submit(offset(0));
        for (int i = 1; i <= 7; i++) {
            b.submit(offset(i));
        }
        assertEquals(2, entries.size(), "a full batch goes while the first entry is in flight");
        assertEquals(3, entries.get(1).getBatch().getCommandsCount());
        answer(0);
        assertEquals(3, entries.size(), "the in-flight limit holds the rest back");
        assertEquals(3, entries.get(2).getBatch().getCommandsCount());
        answer(1);
        assertEquals(3, entries.size(), "a partial batch waits while an entry is outstanding");
        answer(2);
        assertEquals(4, entries.size());
        assertEquals(offset(7), entries.get(3));
    }

    @Test
    void anEntryThatFailsFailsEachOfItsCommands() {
        CommandBatcher b = batcher(1, 1 << 16, 100);
        b.submit(offset(0));
        CompletableFuture<MetaResult> x = b.submit(offset(1));
        CompletableFuture<MetaResult> y = b.submit(offset(2));
        answer(0);
        replies.get(1).complete(Results.error(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, "lost"));
        assertEquals(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, x.join().getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, y.join().getErrorCode());
        replies.clear();
        CompletableFuture<MetaResult> z = b.submit(offset(3));
        assertEquals(3, entries.size(), "the batcher carries on");
        replies.get(0).completeExceptionally(new IllegalStateException("boom"));
        assertEquals(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, z.join().getErrorCode());
    }

    @Test
    void aCommandWhoseCallerGaveUpIsNotProposed() {
        CommandBatcher b = batcher(1, 1 << 16, 100);
        b.submit(offset(0));
        CompletableFuture<MetaResult> abandoned = b.submit(offset(1));
        b.submit(offset(2));
        abandoned.complete(Results.error(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, "timed out"));
        answer(0);
        assertEquals(offset(2), entries.get(1));
    }

    @Test
    void aSenderThatThrowsAnswersUnavailable() {
        CommandBatcher b = new CommandBatcher(entry -> {
            throw new IllegalStateException("no client");
        }, new CommandBatcher.Limits(1, 1 << 16, 10));
        assertEquals(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, b.submit(offset(0)).join().getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, b.submit(offset(1)).join().getErrorCode());
    }

    @Test
    void theQueueIsBoundedAndCloseAnswersTheWaiting() {
        CommandBatcher b = batcher(1, 1 << 16, 2);
        CompletableFuture<MetaResult> first = b.submit(offset(0));
        CompletableFuture<MetaResult> waiting = b.submit(offset(1));
        b.submit(offset(2));
        MetaResult refused = b.submit(offset(3)).join();
        assertEquals(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, refused.getErrorCode());
        assertTrue(refused.getErrorMessage().contains("not proposed"), refused.getErrorMessage());
        b.close();
        assertEquals(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, waiting.join().getErrorCode());
        assertFalse(first.isDone(), "the entry in flight is answered by its sender");
        assertEquals(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, b.submit(offset(4)).join().getErrorCode());
    }

    @Test
    void withoutCoalescingEveryCommandIsItsOwnEntry() {
        CommandBatcher b = batcher(1, 0, 100);
        b.submit(offset(0));
        b.submit(offset(1));
        answer(0);
        assertEquals(offset(1), entries.get(1));
    }
}

package io.sluice.metastore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.sluice.metastore.MetadataDelta;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.RandomCommands;
import io.sluice.proto.internal.v1.CommandBatch;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Group commit changes nothing but the log positions: a batch of commands applied as one log entry
 * gives the image, the answers and the deltas that applying the same commands one by one at that
 * position gives, for random command sequences cut into random batches (RegisterBroker, which may
 * not be batched, goes alone in both runs).
 */
class BatchApplyTest {
    @Test
    void aBatchEqualsItsCommandsAppliedOneByOneAtTheSamePosition() {
        qt().withExamples(60).forAll(longs().all(), integers().between(1, 200), integers().between(1, 12))
                .checkAssert((seed, count, maxBatch) -> {
                    RandomCommands gen = new RandomCommands(seed);
                    Random sizes = new Random(seed);
                    MetadataImage batched = MetadataImage.EMPTY;
                    MetadataImage single = MetadataImage.EMPTY;
                    long index = 0;
                    MetaCommand carried = null;
                    for (int done = 0; done < count || carried != null; index++) {
                        List<MetaCommand> chunk = new ArrayList<>();
                        if (carried != null) {
                            chunk.add(carried);
                            carried = null;
                        }
                        int size = 1 + sizes.nextInt(maxBatch);
                        MetadataImage ahead = single;
                        while (chunk.isEmpty() || MetadataApplier.batchable(chunk.get(0)) && chunk.size() < size
                                && done < count) {
                            MetaCommand c = gen.next(ahead);
                            done++;
                            if (!chunk.isEmpty() && !MetadataApplier.batchable(c)) {
                                carried = c;
                                break;
                            }
                            chunk.add(c);
                            ahead = MetadataApplier.apply(ahead, c, index + 1, 1).image();
                        }
                        MetadataApplier.Outcome one = applyAsBatch(batched, chunk, index + 1);
                        List<MetaResult> results = new ArrayList<>();
                        List<MetadataDelta> deltas = new ArrayList<>();
                        for (MetaCommand c : chunk) {
                            MetadataApplier.Outcome o = MetadataApplier.apply(single, c, index + 1, 1);
                            single = o.image();
                            results.add(o.result());
                            deltas.addAll(o.deltas());
                        }
                        batched = one.image();
                        assertEquals(single, batched, "images after entry " + (index + 1));
                        assertEquals(results, chunk.size() == 1 ? List.of(one.result())
                                : one.result().getBatchResults().getResultsList());
                        assertEquals(deltas, one.deltas());
                    }
                });
    }

    private static MetadataApplier.Outcome applyAsBatch(MetadataImage image, List<MetaCommand> chunk, long index) {
        MetaCommand entry = chunk.size() == 1 ? chunk.get(0)
                : MetaCommand.newBuilder().setBatch(CommandBatch.newBuilder().addAllCommands(chunk)).build();
        return MetadataApplier.apply(image, entry, index, 1);
    }
}

package io.sluice.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransportBuffersTest {
    @Test
    void theSharedPoolHasSixteenMebibyteChunksOfDirectMemory() {
        // 2 MiB chunks (gRPC's own) emptied and were freed after every fetch answer of a few MiB.
        assertEquals(16 << 20, TransportBuffers.POOL.metric().chunkSize());
        assertTrue(TransportBuffers.POOL.isDirectBufferPooled());
    }
}

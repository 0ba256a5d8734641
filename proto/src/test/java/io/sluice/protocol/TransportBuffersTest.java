package io.sluice.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class TransportBuffersTest {
    @Test
    void theSharedPoolHasSixteenMebibyteChunksOfDirectMemory() {
        // 2 MiB chunks (gRPC's own) emptied and were freed after every fetch answer of a few MiB.
        assertEquals(16 << 20, TransportBuffers.POOL.metric().chunkSize());
        assertTrue(TransportBuffers.POOL.isDirectBufferPooled());
    }

    @Test
    void directArenasAreBoundedForSixteenMebibyteChunks() {
        long gib = 1L << 30;
        assertEquals(4, TransportBuffers.directArenas(4, gib), "2 cores, 1 GiB: Netty's default stands");
        assertEquals(42, TransportBuffers.directArenas(64, 4 * gib), "32 cores, 4 GiB: 42 arenas, not 64");
        assertEquals(5, TransportBuffers.directArenas(64, 512L << 20), "512 MiB, a client tool's heap");
        assertEquals(1, TransportBuffers.directArenas(4, 32L << 20), "at least one arena");
        assertEquals(TransportBuffers.directArenas(PooledByteBufAllocator.defaultNumDirectArena(),
                Runtime.getRuntime().maxMemory()), TransportBuffers.POOL.metric().numDirectArenas());
    }
}

package io.sluice.protocol;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.buffer.PooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;

/**
 * The Netty buffer pool of every gRPC connection Sluice makes or accepts, Ratis' own aside (Ratis has
 * its own Netty): channels are built by {@link #plaintextChannel}, and the broker's server sets it as
 * its connections' allocator. It is the pooled allocator gRPC uses by default, with 16 MiB chunks
 * instead of gRPC's 2 MiB. A fetch answer or a produce request of a few MiB stays in the buffers it is
 * written to or arrives in until its last byte is sent or received. With 2 MiB chunks each such
 * message filled chunks of its own, which emptied when it was done with; Netty frees an empty chunk,
 * so the next message allocated new ones, zeroed them ({@code ByteBuffer.allocateDirect}) and faulted
 * their pages in again. With 16 MiB chunks
 * consecutive messages share a chunk, which then rarely empties.
 * <ul>
 *   <li>On the consumer, 1.5 million 1 KiB records from one broker took 136,000-145,000 page faults
 *       instead of 253,000-544,000, and were fetched 1.1-1.5 times as fast
 *       (docs/benchmarks.md, "The consumer's receive buffers").</li>
 *   <li>On a broker answering fetches, zeroing new chunks was 4% of its CPU before it used this pool
 *       (docs/benchmarks.md, "The brokers' send buffers").</li>
 * </ul>
 * Thread-safe, as Netty's allocator is.
 */
public final class TransportBuffers {
    /** Chunks of the pool are {@code pageSize << CHUNK_MAX_ORDER}: 8 KiB pages, 16 MiB chunks. */
    public static final int CHUNK_MAX_ORDER = 11;

    /** Bytes of one chunk. */
    public static final int CHUNK_BYTES = PooledByteBufAllocator.defaultPageSize() << CHUNK_MAX_ORDER;

    /**
     * The shared pool: direct buffers, Netty's default caches, and {@link #directArenas} arenas.
     */
    public static final PooledByteBufAllocator POOL = new PooledByteBufAllocator(true,
            PooledByteBufAllocator.defaultNumHeapArena(),
            directArenas(PooledByteBufAllocator.defaultNumDirectArena(), Runtime.getRuntime().maxMemory()),
            PooledByteBufAllocator.defaultPageSize(), CHUNK_MAX_ORDER, PooledByteBufAllocator.defaultSmallCacheSize(),
            PooledByteBufAllocator.defaultNormalCacheSize(), PooledByteBufAllocator.defaultUseCacheForAllThreads());

    /**
     * Netty's default number of direct arenas (up to two per core), bounded as Netty bounds it, but for
     * this pool's larger chunks: every arena keeping three chunks takes at most half of {@code
     * maxMemoryBytes} (the heap's maximum, which is also the JDK's default limit on direct memory). On a
     * 2-core machine with a 1 GiB heap that leaves Netty's 4; on 32 cores with 4 GiB, 42 instead of 64.
     */
    static int directArenas(int nettyDefault, long maxMemoryBytes) {
        long bound = maxMemoryBytes / CHUNK_BYTES / 2 / 3;
        return (int) Math.max(1, Math.min(nettyDefault, bound));
    }

    /**
     * A plaintext channel builder to {@code host:port} whose buffers come from {@link #POOL}: without it
     * gRPC would create a second pool of its own, with its own arenas, for that channel.
     */
    public static NettyChannelBuilder plaintextChannel(String host, int port) {
        return plaintextChannel(host, port, POOL);
    }

    /** As {@link #plaintextChannel(String, int)}, with buffers from {@code buffers} (tests watch a pool). */
    public static NettyChannelBuilder plaintextChannel(String host, int port, ByteBufAllocator buffers) {
        return NettyChannelBuilder.forAddress(host, port).usePlaintext().withOption(ChannelOption.ALLOCATOR, buffers);
    }

    private TransportBuffers() {
    }
}

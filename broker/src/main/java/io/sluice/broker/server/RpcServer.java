package io.sluice.broker.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.sluice.protocol.TransportBuffers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's gRPC endpoint: binds one address, serves the given services, and enforces the
 * transport limits every request meets before Sluice code sees it:
 * <ul>
 *   <li>a request larger than {@code maxRequestBytes} is refused by gRPC with RESOURCE_EXHAUSTED;</li>
 *   <li>bytes that do not parse as the rpc's message are refused with INVALID_ARGUMENT naming the
 *       method ({@link MalformedRequestGuard}) — documented in errors.proto;</li>
 *   <li>handlers run on a bounded pool; when its queue is full a call is refused with UNAVAILABLE
 *       (retriable) rather than queueing without limit.</li>
 * </ul>
 * Neither kind of refusal affects other calls or stored data. Connections take their buffers from
 * {@link TransportBuffers#POOL}, whose large chunks outlive one fetch answer. Thread-safe; start once,
 * stop once.
 */
public final class RpcServer implements AutoCloseable {
    private final Server server;
    private final ExecutorService handlers;

    /** Transport limits. */
    public record Limits(int maxRequestBytes, int handlerThreads, int handlerQueueLength,
            int maxConcurrentCallsPerConnection) {
        public Limits {
            if (maxRequestBytes < 1024 || handlerThreads < 1 || handlerQueueLength < 1
                    || maxConcurrentCallsPerConnection < 1) {
                throw new IllegalArgumentException("invalid RPC limits " + this);
            }
        }
    }

    private RpcServer(Server server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and starts serving.
     *
     * @throws IOException if the address cannot be bound
     */
    public static RpcServer start(String host, int port, Limits limits, List<BindableService> services,
            List<ServerInterceptor> interceptors) throws IOException {
        return start(host, port, limits, services, interceptors, TransportBuffers.POOL);
    }

    /** As the method above, with connections taking their buffers from {@code buffers} (tests watch a pool). */
    static RpcServer start(String host, int port, Limits limits, List<BindableService> services,
            List<ServerInterceptor> interceptors, ByteBufAllocator buffers) throws IOException {
        ExecutorService handlers = newHandlerPool(limits);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .maxInboundMessageSize(limits.maxRequestBytes())
                .maxConcurrentCallsPerConnection(limits.maxConcurrentCallsPerConnection())
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .executor(handlers)
                .withChildOption(ChannelOption.ALLOCATOR, buffers);
        for (BindableService service : services) {
            builder.addService(MalformedRequestGuard.wrap(ServerInterceptors.intercept(service, interceptors)));
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            handlers.shutdownNow();
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new RpcServer(server, handlers);
    }

    private static ExecutorService newHandlerPool(Limits limits) {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(limits.handlerThreads(), limits.handlerThreads(),
                60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(limits.handlerQueueLength()), r -> {
                    Thread t = new Thread(r, "rpc-handler-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getPort();
    }

    /** Stops accepting calls, lets running ones finish for up to {@code graceMs}, then cancels the rest. */
    public void stop(long graceMs) throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(graceMs, TimeUnit.MILLISECONDS)) {
            server.shutdownNow();
            server.awaitTermination(graceMs, TimeUnit.MILLISECONDS);
        }
        handlers.shutdownNow();
    }

    @Override
    public void close() throws InterruptedException {
        stop(5_000);
    }
}

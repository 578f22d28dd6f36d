package io.inventory.proxy.security;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.inventory.proto.AgentGatewayGrpc;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A token bucket per client address for {@code Run}: {@code burst} calls at once, refilled at {@code perSecond}.
 * A call without a token gets RESOURCE_EXHAUSTED. Keyed by IP address, not port, so reconnecting does not reset it.
 */
public final class RunRateLimiter implements ServerInterceptor {

    /** Past this many tracked clients, buckets that are full again are dropped. */
    private static final int MAX_TRACKED_PEERS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(RunRateLimiter.class);

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RunRateLimiter(double perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    RunRateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("the Run rate must be positive and the burst at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (!AgentGatewayGrpc.getRunMethod().getFullMethodName()
                .equals(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        String peer = peerKey(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        if (!tryAcquire(peer)) {
            LOG.warn("rate limit reached for Run peer={}", peer);
            call.close(Status.RESOURCE_EXHAUSTED.withDescription("too many Run calls from this client: at most "
                    + (int) burst + " at once and " + perSecond + " per second"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        return next.startCall(call, headers);
    }

    boolean tryAcquire(String peer) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_TRACKED_PEERS) {
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        return buckets.computeIfAbsent(peer, p -> new Bucket(now)).tryTake(now);
    }

    private static String peerKey(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    private final class Bucket {
        private double tokens;
        private long updatedAt;

        Bucket(long now) {
            this.tokens = burst;
            this.updatedAt = now;
        }

        synchronized boolean tryTake(long now) {
            refill(now);
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - updatedAt) / 1e9 * perSecond);
            updatedAt = now;
        }
    }
}

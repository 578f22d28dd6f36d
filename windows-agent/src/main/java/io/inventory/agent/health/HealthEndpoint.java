package io.inventory.agent.health;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.inventory.agent.poll.QueueHealth;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard gRPC health service ({@code grpc.health.v1.Health}) on a loopback port, for monitoring tools such
 * as {@code grpc-health-probe}. It reports SERVING while queue calls succeed, NOT_SERVING after a configured number
 * of consecutive failures, SERVING again after the next success, and NOT_SERVING once the agent is stopping.
 * The overall status (service name {@code ""}) and {@value #SERVICE} report the same.
 */
public final class HealthEndpoint implements QueueHealth, AutoCloseable {

    public static final String SERVICE = "inventory.agent.Poller";

    private static final Logger LOG = LoggerFactory.getLogger(HealthEndpoint.class);

    private final HealthStatusManager status = new HealthStatusManager();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final int unhealthyAfter;
    private final Server server;
    private volatile boolean stopping;

    private HealthEndpoint(int port, int unhealthyAfter) throws IOException {
        this.unhealthyAfter = unhealthyAfter;
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .addService(status.getHealthService())
                .build()
                .start();
        // Not serving until the first queue call shows the queues are reachable.
        set(ServingStatus.NOT_SERVING);
        LOG.info("gRPC health service listening on {}", server.getListenSockets());
    }

    /**
     * Starts the service on the loopback address.
     *
     * @param port           the port, 1 to 65535
     * @param unhealthyAfter consecutive queue failures that turn the status to NOT_SERVING
     * @throws IOException when the port cannot be bound (for example it is in use)
     */
    public static HealthEndpoint start(int port, int unhealthyAfter) throws IOException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
        }
        return new HealthEndpoint(port, Math.max(1, unhealthyAfter));
    }

    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    @Override
    public void queueSucceeded() {
        int before = consecutiveFailures.getAndSet(0);
        if (!stopping) {
            set(ServingStatus.SERVING);
            if (before >= unhealthyAfter) {
                LOG.info("Queues reachable again after {} failed calls: SERVING", before);
            }
        }
    }

    @Override
    public void queueFailed(Exception cause) {
        int failures = consecutiveFailures.incrementAndGet();
        if (failures == unhealthyAfter) {
            LOG.warn("{} queue calls failed in a row: NOT_SERVING ({})", failures, cause.getMessage());
        }
        if (failures >= unhealthyAfter) {
            set(ServingStatus.NOT_SERVING);
        }
    }

    @Override
    public void stopping() {
        stopping = true;
        set(ServingStatus.NOT_SERVING);
    }

    private void set(ServingStatus serving) {
        status.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, serving);
        status.setStatus(SERVICE, serving);
    }

    @Override
    public void close() {
        status.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

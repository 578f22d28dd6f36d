package io.inventory.agent.health;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/** Asks a gRPC health service for its status over a real socket, as grpc-health-probe would. */
public final class HealthProbe implements AutoCloseable {

    private final ManagedChannel channel;

    public HealthProbe(int port) {
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    /** The status of a service ("" for the whole agent), or null when the endpoint does not answer. */
    public ServingStatus status(String service) {
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
        } catch (StatusRuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}

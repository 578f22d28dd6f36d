package io.inventory.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class HealthEndpointTest {

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void statusFollowsConsecutiveQueueFailuresAndRecovers() throws Exception {
        try (HealthEndpoint endpoint = HealthEndpoint.start(freePort(), 2);
             HealthProbe probe = new HealthProbe(endpoint.port())) {
            assertThat(probe.status("")).as("before any queue call").isEqualTo(ServingStatus.NOT_SERVING);

            endpoint.queueSucceeded();
            assertThat(probe.status("")).isEqualTo(ServingStatus.SERVING);
            assertThat(probe.status(HealthEndpoint.SERVICE)).isEqualTo(ServingStatus.SERVING);

            endpoint.queueFailed(new IOException("connection refused"));
            assertThat(probe.status("")).as("one failure is tolerated").isEqualTo(ServingStatus.SERVING);

            endpoint.queueFailed(new IOException("connection refused"));
            assertThat(probe.status("")).isEqualTo(ServingStatus.NOT_SERVING);

            endpoint.queueSucceeded();
            assertThat(probe.status("")).isEqualTo(ServingStatus.SERVING);

            endpoint.stopping();
            endpoint.queueSucceeded();
            assertThat(probe.status("")).as("a stopping agent stays NOT_SERVING")
                    .isEqualTo(ServingStatus.NOT_SERVING);
        }
    }

    @Test
    void portInUseFailsToStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> HealthEndpoint.start(taken.getLocalPort(), 3)).isInstanceOf(IOException.class);
        }
    }
}

package io.inventory.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ChannelCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.inventory.proto.AgentGatewayGrpc;
import io.inventory.proto.HealthRequest;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import io.inventory.testing.SqsEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxySecurityTest {

    @TempDir
    static Path temp;

    private static SqsEmulator sqs;
    private static String queueUrl;
    private static Path ca;
    private static Path otherCa;
    private static Path[] server;
    private static Path[] client;
    private static Path[] strangerClient;

    @BeforeAll
    static void start() throws Exception {
        sqs = SqsEmulator.start();
        queueUrl = sqs.createQueue("inventory_tasks", 600);
        TestCertificates certificates = new TestCertificates(temp);
        ca = certificates.authority("test-ca");
        otherCa = certificates.authority("other-ca");
        server = certificates.leaf("server", "test-ca");
        client = certificates.leaf("client", "test-ca");
        strangerClient = certificates.leaf("stranger", "other-ca");
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    private static ProxyFixture startProxy(String... extra) throws Exception {
        String[] base = {"--gateway-mode", "in_process", "--task-queue-url", queueUrl,
                "--sqs-endpoint", sqs.endpoint().toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return ProxyFixture.start(args);
    }

    private static RunRequest oneTask() {
        return RunRequest.newBuilder().setCommands("inventory\n").build();
    }

    @Nested
    class Tls {

        @Test
        void aClientTrustingTheServersCaIsServed() throws Exception {
            try (ProxyFixture proxy = startProxy("--tls-cert", server[0].toString(), "--tls-key",
                    server[1].toString())) {
                ChannelCredentials trusting = TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();

                RunResponse response = AgentGatewayGrpc.newBlockingStub(proxy.channel(trusting))
                        .withDeadlineAfter(60, TimeUnit.SECONDS).run(oneTask());

                assertThat(response.getOk()).isTrue();
            }
        }

        @Test
        void aClientTrustingAnotherCaRefusesTheServer() throws Exception {
            try (ProxyFixture proxy = startProxy("--tls-cert", server[0].toString(), "--tls-key",
                    server[1].toString())) {
                ChannelCredentials wrongCa = TlsChannelCredentials.newBuilder().trustManager(otherCa.toFile()).build();

                StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
                        () -> AgentGatewayGrpc.newBlockingStub(proxy.channel(wrongCa))
                                .withDeadlineAfter(60, TimeUnit.SECONDS).run(oneTask()));

                assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            }
        }

        @Test
        void mutualTlsServesAClientWithACertificateFromTheTrustedCaOnly() throws Exception {
            try (ProxyFixture proxy = startProxy("--tls-cert", server[0].toString(), "--tls-key",
                    server[1].toString(), "--tls-client-ca", ca.toString())) {
                ChannelCredentials withCertificate = TlsChannelCredentials.newBuilder().trustManager(ca.toFile())
                        .keyManager(client[0].toFile(), client[1].toFile()).build();
                ChannelCredentials withoutCertificate = TlsChannelCredentials.newBuilder()
                        .trustManager(ca.toFile()).build();
                ChannelCredentials withStrangersCertificate = TlsChannelCredentials.newBuilder()
                        .trustManager(ca.toFile()).keyManager(strangerClient[0].toFile(), strangerClient[1].toFile())
                        .build();

                RunResponse served = AgentGatewayGrpc.newBlockingStub(proxy.channel(withCertificate))
                        .withDeadlineAfter(60, TimeUnit.SECONDS).run(oneTask());
                StatusRuntimeException anonymous = catchThrowableOfType(StatusRuntimeException.class,
                        () -> AgentGatewayGrpc.newBlockingStub(proxy.channel(withoutCertificate))
                                .withDeadlineAfter(60, TimeUnit.SECONDS).run(oneTask()));
                StatusRuntimeException stranger = catchThrowableOfType(StatusRuntimeException.class,
                        () -> AgentGatewayGrpc.newBlockingStub(proxy.channel(withStrangersCertificate))
                                .withDeadlineAfter(60, TimeUnit.SECONDS).run(oneTask()));

                assertThat(served.getOk()).isTrue();
                assertThat(anonymous.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(stranger.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            }
        }
    }

    @Nested
    class BearerToken {

        @Test
        void callsWithoutOrWithAWrongTokenAreUnauthenticatedAndTheRightTokenIsServed() throws Exception {
            Path tokenFile = Files.writeString(temp.resolve("token"), "s3cr3t-token-for-tests\n");
            try (ProxyFixture proxy = startProxy("--token-file", tokenFile.toString())) {

                StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
                        () -> proxy.stub().run(oneTask()));
                StatusRuntimeException wrong = catchThrowableOfType(StatusRuntimeException.class,
                        () -> ProxyFixture.withToken(proxy.stub(), "s3cr3t-token-for-test").run(oneTask()));
                StatusRuntimeException wrongOnHealth = catchThrowableOfType(StatusRuntimeException.class,
                        () -> proxy.stub().health(HealthRequest.getDefaultInstance()));
                RunResponse served = ProxyFixture.withToken(proxy.stub(), "s3cr3t-token-for-tests").run(oneTask());

                assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(wrong.getStatus().getDescription()).doesNotContain("s3cr3t");
                assertThat(wrongOnHealth.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(served.getOk()).isTrue();
            }
        }

        @Test
        void theStandardHealthProbeNeedsNoToken() throws Exception {
            Path tokenFile = Files.writeString(temp.resolve("token2"), "another-token");
            try (ProxyFixture proxy = startProxy("--token-file", tokenFile.toString())) {

                HealthCheckResponse probe = HealthGrpc.newBlockingStub(proxy.channel())
                        .withDeadlineAfter(60, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.newBuilder().setService("agent.AgentGateway").build());

                assertThat(probe.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            }
        }
    }

    @Nested
    class RateLimit {

        @Test
        void runCallsBeyondTheBurstAreResourceExhausted() throws Exception {
            // One call per thousand seconds: no refill can happen during the test, however slow the machine.
            try (ProxyFixture proxy = startProxy("--run-rate", "0.001", "--run-burst", "2")) {

                RunResponse first = proxy.stub().run(oneTask());
                RunResponse second = proxy.stub().run(oneTask());
                StatusRuntimeException third = catchThrowableOfType(StatusRuntimeException.class,
                        () -> proxy.stub().run(oneTask()));

                assertThat(first.getOk()).isTrue();
                assertThat(second.getOk()).isTrue();
                assertThat(third.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(proxy.stub().health(HealthRequest.getDefaultInstance()).getService())
                        .as("Health is not rate limited").isNotEmpty();
            }
        }
    }

    @Nested
    class RequestSize {

        @Test
        void aRequestOverTheSizeLimitIsRefused() throws Exception {
            try (ProxyFixture proxy = startProxy("--max-request-bytes", "1024")) {

                StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
                        () -> proxy.stub().run(RunRequest.newBuilder().setCommands("inventory\n".repeat(200))
                                .build()));

                assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            }
        }
    }
}

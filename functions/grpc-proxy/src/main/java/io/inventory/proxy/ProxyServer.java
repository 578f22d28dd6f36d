package io.inventory.proxy;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.inventory.commands.CommandsParser;
import io.inventory.gateway.GatewayHandler;
import io.inventory.gateway.GatewaySettings;
import io.inventory.proto.AgentGatewayGrpc;
import io.inventory.proxy.gateway.GatewayInvoker;
import io.inventory.proxy.gateway.InProcessGatewayInvoker;
import io.inventory.proxy.gateway.LambdaGatewayInvoker;
import io.inventory.proxy.security.BearerTokenInterceptor;
import io.inventory.proxy.security.RunRateLimiter;
import io.inventory.proxy.service.AgentGatewayService;
import io.inventory.proxy.service.CommandsRoot;
import io.inventory.proxy.service.DependencyChecks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The running proxy: the AgentGateway service behind the token check and the Run rate limit, the standard
 * {@code grpc.health.v1} service and server reflection, on Netty (plaintext or TLS) or any transport a test gives.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

    private final Server server;
    private final HealthStatusManager health;
    private final List<AutoCloseable> resources;
    private final Duration shutdownGrace;

    private ProxyServer(Server server, HealthStatusManager health, List<AutoCloseable> resources,
                        Duration shutdownGrace) {
        this.server = server;
        this.health = health;
        this.resources = resources;
        this.shutdownGrace = shutdownGrace;
    }

    /** Starts on Netty at the configured address, with TLS when a certificate and key are given. */
    public static ProxyServer start(ProxyCommand options) throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(
                new InetSocketAddress(options.bindAddress, options.port), credentials(options));
        ProxyServer proxy = start(options, builder);
        LOG.info("proxy listening address={} port={} tls={} mtls={} gateway={} bearer_token={}", options.bindAddress,
                proxy.port(), isSet(options.tlsCertificate), isSet(options.tlsClientCa), options.gatewayMode,
                isSet(options.tokenFile) || options.tokenFromEnvironment != null ? "required" : "not required");
        return proxy;
    }

    /** Starts on the caller's transport (for example the in-process one); TLS settings are the builder's affair. */
    public static ProxyServer start(ProxyCommand options, ServerBuilder<?> builder) throws IOException {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            SqsClient sqs = sqsClient(options);
            resources.add(sqs);
            S3Client s3 = s3Client(options);
            resources.add(s3);
            GatewayInvoker gateway = invoker(options, sqs, s3);
            resources.add(0, gateway);

            DependencyChecks checks = new DependencyChecks(sqs, s3, queues(options), options.bucket, gateway,
                    Duration.ofSeconds(options.healthTimeoutSeconds));
            CommandsRoot commandsRoot = isSet(options.commandsRoot)
                    ? new CommandsRoot(options.commandsRoot, CommandsParser.DEFAULT_MAX_BYTES) : null;
            AgentGatewayService service = new AgentGatewayService(gateway, commandsRoot, checks,
                    Duration.ofSeconds(options.invokeTimeoutSeconds));

            HealthStatusManager health = new HealthStatusManager();
            health.setStatus(AgentGatewayGrpc.SERVICE_NAME, ServingStatus.SERVING);

            ServerInterceptor[] chain = interceptors(options);
            builder.maxInboundMessageSize(options.maxRequestBytes)
                    .addService(ServerInterceptors.intercept(service, chain))
                    .addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), chain))
                    .addService(health.getHealthService());
            Server server = builder.build().start();
            return new ProxyServer(server, health, resources, Duration.ofSeconds(options.shutdownGraceSeconds));
        } catch (IOException | RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    public int port() {
        return server.getPort();
    }

    /** True once shutdown began: new calls are refused while in-flight calls finish. */
    public boolean isShuttingDown() {
        return server.isShutdown();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops accepting calls, lets in-flight calls finish within the grace period, then closes the clients. */
    @Override
    public void close() {
        if (server.isTerminated()) {
            return;
        }
        LOG.info("proxy shutting down; in-flight calls have {} s", shutdownGrace.toSeconds());
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("calls still running after {} s are cancelled", shutdownGrace.toSeconds());
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        closeAll(resources);
    }

    private static ServerInterceptor[] interceptors(ProxyCommand options) throws IOException {
        List<ServerInterceptor> interceptors = new ArrayList<>();
        if (options.runRate > 0) {
            interceptors.add(new RunRateLimiter(options.runRate, options.runBurst));
        }
        String token = token(options);
        if (token != null) {
            // Added last, so it runs first: an unauthenticated caller does not spend a rate-limit token.
            interceptors.add(new BearerTokenInterceptor(token));
        }
        return interceptors.toArray(ServerInterceptor[]::new);
    }

    private static String token(ProxyCommand options) throws IOException {
        if (isSet(options.tokenFile)) {
            String token = Files.readString(options.tokenFile, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IOException("the token file " + options.tokenFile + " is empty");
            }
            return token;
        }
        String fromEnvironment = options.tokenFromEnvironment;
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.strip();
    }

    private static ServerCredentials credentials(ProxyCommand options) throws IOException {
        if (!isSet(options.tlsCertificate) && !isSet(options.tlsKey)) {
            if (isSet(options.tlsClientCa)) {
                throw new IllegalArgumentException("--tls-client-ca needs --tls-cert and --tls-key");
            }
            return InsecureServerCredentials.create();
        }
        if (!isSet(options.tlsCertificate) || !isSet(options.tlsKey)) {
            throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key");
        }
        TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                .keyManager(options.tlsCertificate.toFile(), options.tlsKey.toFile());
        if (isSet(options.tlsClientCa)) {
            tls.trustManager(options.tlsClientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        return tls.build();
    }

    private static GatewayInvoker invoker(ProxyCommand options, SqsClient sqs, S3Client s3) {
        if (options.gatewayMode == ProxyCommand.GatewayMode.in_process) {
            if (options.taskQueueUrl.isBlank()) {
                throw new IllegalArgumentException("--gateway-mode in_process needs --task-queue-url");
            }
            GatewaySettings settings = GatewaySettings.forQueue(options.taskQueueUrl)
                    .withMaxTasksPerRun(options.maxTasksPerRun);
            return new InProcessGatewayInvoker(new GatewayHandler(sqs, s3, settings));
        }
        Duration socketTimeout = Duration.ofSeconds(options.invokeTimeoutSeconds).plusSeconds(10);
        var lambda = LambdaClient.builder()
                .region(region(options))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(socketTimeout));
        if (!options.lambdaEndpoint.isBlank()) {
            lambda.endpointOverride(URI.create(options.lambdaEndpoint));
        }
        return new LambdaGatewayInvoker(lambda.build(), options.functionName, options.qualifier);
    }

    private static SqsClient sqsClient(ProxyCommand options) {
        var sqs = SqsClient.builder().region(region(options)).httpClientBuilder(UrlConnectionHttpClient.builder());
        if (!options.sqsEndpoint.isBlank()) {
            sqs.endpointOverride(URI.create(options.sqsEndpoint));
        }
        return sqs.build();
    }

    private static S3Client s3Client(ProxyCommand options) {
        var s3 = S3Client.builder().region(region(options)).httpClientBuilder(UrlConnectionHttpClient.builder());
        if (!options.s3Endpoint.isBlank()) {
            s3.endpointOverride(URI.create(options.s3Endpoint)).forcePathStyle(true);
        }
        return s3.build();
    }

    private static Region region(ProxyCommand options) {
        if (!options.region.isBlank()) {
            return Region.of(options.region);
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (RuntimeException e) {
            return Region.US_EAST_1;
        }
    }

    private static Map<String, String> queues(ProxyCommand options) {
        Map<String, String> queues = new LinkedHashMap<>();
        queues.put("task_queue", options.taskQueueUrl);
        queues.put("result_queue", options.resultQueueUrl);
        queues.put("task_dead_letter_queue", options.taskDeadLetterQueueUrl);
        queues.put("result_dead_letter_queue", options.resultDeadLetterQueueUrl);
        return queues;
    }

    private static boolean isSet(Path path) {
        return path != null && !path.toString().isEmpty();
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resource.getClass().getSimpleName(), e);
            }
        }
    }
}

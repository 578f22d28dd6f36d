package io.inventory.local;

import io.inventory.codec.InvalidMessageException;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.InventoryDocument;
import io.inventory.proxy.ProxyCommand;
import io.inventory.proxy.ProxyServer;
import io.inventory.registry.RegFileException;
import io.inventory.testing.S3Emulator;
import io.inventory.testing.SqsEmulator;
import io.inventory.writer.WriterHandler;
import io.inventory.writer.WriterSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole pipeline in one JVM, for newcomers, the end-to-end suite and the benchmarks: SQS and S3 (embedded
 * ElasticMQ and s3proxy, or external endpoints such as LocalStack), the task and result queues with their
 * dead-letter queues, the gRPC proxy on a real socket with the gateway in-process, the writer driven by an
 * {@link EventSourceMapping} as Lambda drives it, and agents polling the task queue, each reading a host's .reg
 * export.
 *
 * <pre>{@code
 * try (LocalPipeline pipeline = LocalPipeline.builder().grpcPort(0).host(List.of(export)).start()) {
 *     // call Run on pipeline.grpcTarget(), then read pipeline.hostPayloadKey("WS-01") from pipeline.s3()
 * }
 * }</pre>
 */
public final class LocalPipeline implements AutoCloseable {

    public static final String TASK_QUEUE = "inventory_tasks";
    public static final String RESULT_QUEUE = "inventory_results";

    private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

    private final Builder settings;
    private final Deque<AutoCloseable> closeInReverse = new ArrayDeque<>();
    private final List<LocalAgent> agents = new CopyOnWriteArrayList<>();

    private AwsEndpoints endpoints;
    private SqsClient sqs;
    private S3Client s3;
    private QueueUrls taskQueue;
    private QueueUrls resultQueue;
    private EventSourceMapping writerMapping;
    private ProxyServer proxy;

    private LocalPipeline(Builder settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    private LocalPipeline startAll() {
        try {
            startStorage();
            startWriter();
            startProxy();
            for (List<Path> host : settings.hosts) {
                for (int i = 0; i < settings.agentsPerHost; i++) {
                    startAgent(host);
                }
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("the local pipeline did not start: " + e.getMessage(), e);
        } catch (RegFileException e) {
            close();
            throw new IllegalArgumentException("the local pipeline did not start: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("Local pipeline ready: grpc={} sqs={} s3={} bucket={} agents={}", grpcTarget(), endpoints.sqs(),
                endpoints.s3(), settings.bucket, agents.size());
        return this;
    }

    private void startStorage() {
        if (settings.external != null) {
            endpoints = settings.external;
        } else {
            SqsEmulator sqsEmulator = SqsEmulator.start(settings.sqsPort);
            closeInReverse.push(sqsEmulator);
            S3Emulator s3Emulator = S3Emulator.start();
            closeInReverse.push(s3Emulator);
            endpoints = new AwsEndpoints(sqsEmulator.endpoint(), s3Emulator.endpoint(), SqsEmulator.REGION,
                    "test", "test");
        }
        sqs = endpoints.newSqsClient();
        closeInReverse.push(sqs);
        s3 = endpoints.newS3Client();
        closeInReverse.push(s3);

        try {
            s3.createBucket(b -> b.bucket(settings.bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            LOG.debug("bucket={} already exists", settings.bucket);
        }
        taskQueue = createQueue(settings.queuePrefix + TASK_QUEUE, settings.taskVisibilityTimeout);
        resultQueue = createQueue(settings.queuePrefix + RESULT_QUEUE, settings.resultVisibilityTimeout);
    }

    /** A queue and its dead-letter queue, with the template's redrive policy. */
    private QueueUrls createQueue(String name, Duration visibilityTimeout) {
        String deadLetterUrl = sqs.createQueue(b -> b.queueName(name + "_dlq").attributes(Map.of(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600"))).queueUrl();
        String deadLetterArn = sqs.getQueueAttributes(b -> b.queueUrl(deadLetterUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"maxReceiveCount\":\"" + settings.maxReceiveCount + "\",\"deadLetterTargetArn\":\""
                + deadLetterArn + "\"}";
        String url = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(visibilityTimeout.toSeconds()),
                QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
        return new QueueUrls(url, deadLetterUrl);
    }

    private void startWriter() {
        WriterSettings writer = WriterSettings.forBucket(settings.bucket).withKeyPrefix(settings.keyPrefix);
        writerMapping = EventSourceMapping.builder(sqs, resultQueue.url(), new WriterHandler(s3, writer))
                .functionName("writer")
                .batchSize(settings.batchSize)
                .batchingWindow(settings.batchingWindow)
                .pollers(settings.writerPollers)
                .functionTimeout(settings.writerTimeout)
                .start();
        closeInReverse.push(writerMapping);
    }

    /**
     * The proxy exactly as {@code inventory-grpc-proxy} runs it (token check, Run rate limit, health and
     * reflection services), with the gateway in-process, configured through its own command line.
     */
    private void startProxy() throws IOException {
        useEndpointCredentialsInThisJvm();
        ProxyCommand options = new ProxyCommand();
        new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(
                "--bind-address", "127.0.0.1",
                "--port", Integer.toString(settings.grpcPort),
                "--gateway-mode", "in_process",
                "--region", endpoints.region().id(),
                "--sqs-endpoint", endpoints.sqs().toString(),
                "--s3-endpoint", endpoints.s3().toString(),
                "--task-queue-url", taskQueue.url(),
                "--result-queue-url", resultQueue.url(),
                "--task-dlq-url", taskQueue.deadLetterUrl(),
                "--result-dlq-url", resultQueue.deadLetterUrl(),
                "--bucket", settings.bucket,
                "--commands-root", settings.commandsRoot.toString(),
                "--run-rate", Double.toString(settings.proxyRunRate),
                "--shutdown-grace-seconds", "5");
        proxy = ProxyServer.start(options);
        closeInReverse.push(proxy);
    }

    /**
     * The proxy's clients take their credentials from the SDK's default chain, whose first link is the
     * {@code aws.accessKeyId} and {@code aws.secretAccessKey} system properties: set to the endpoints' own, they
     * win over any real credentials in the environment, which the emulators would refuse.
     */
    private void useEndpointCredentialsInThisJvm() {
        System.setProperty("aws.accessKeyId", endpoints.accessKey());
        System.setProperty("aws.secretAccessKey", endpoints.secretKey());
    }

    /**
     * Starts one more agent polling the task queue, reading the host from {@code registryFiles} (one host's
     * exports, applied in order). Several agents on one export compete for tasks as several pollers of one
     * host would; agents on different exports are different hosts.
     */
    public synchronized LocalAgent startAgent(List<Path> registryFiles) throws RegFileException {
        LocalAgent agent = LocalAgent.start(registryFiles, endpoints, taskQueue.url(), resultQueue.url());
        agents.add(agent);
        closeInReverse.push(() -> {
            agents.remove(agent);
            agent.close();
        });
        return agent;
    }

    /** The host:port gRPC clients call, for example {@code 127.0.0.1:50051}. */
    public String grpcTarget() {
        return "127.0.0.1:" + proxy.port();
    }

    public int grpcPort() {
        return proxy.port();
    }

    public URI sqsEndpoint() {
        return endpoints.sqs();
    }

    public URI s3Endpoint() {
        return endpoints.s3();
    }

    public Region region() {
        return endpoints.region();
    }

    /** The pipeline's SQS client, closed with the pipeline. */
    public SqsClient sqs() {
        return sqs;
    }

    /** The pipeline's S3 client, closed with the pipeline. */
    public S3Client s3() {
        return s3;
    }

    public String bucket() {
        return settings.bucket;
    }

    /** The writer's key prefix, empty or ending with a slash. */
    public String keyPrefix() {
        return settings.keyPrefix;
    }

    public QueueUrls taskQueue() {
        return taskQueue;
    }

    public QueueUrls resultQueue() {
        return resultQueue;
    }

    /** The mapping that drives the writer from the result queue. */
    public EventSourceMapping writerMapping() {
        return writerMapping;
    }

    public List<LocalAgent> agents() {
        return List.copyOf(agents);
    }

    /** Where the writer keeps a host's inventory; host keys are lower case, as Windows names are case-blind. */
    public String hostPayloadKey(String host) {
        return settings.keyPrefix + "hosts/" + host.toLowerCase(Locale.ROOT) + "/payload.json";
    }

    /** Where the writer keeps the prefix of one run's results. */
    public String runPrefix(String runId) {
        return settings.keyPrefix + "runs/" + runId + "/";
    }

    /** The host's stored inventory, or empty when the writer has stored none yet. */
    public Optional<InventoryDocument> hostPayload(String host) throws InvalidMessageException {
        String json;
        try {
            json = s3.getObjectAsBytes(b -> b.bucket(settings.bucket).key(hostPayloadKey(host))).asUtf8String();
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
        return Optional.of(ProtoJson.parse(json, InventoryDocument.newBuilder()));
    }

    /** What a newcomer needs to use the running pipeline: endpoints and commands to copy. */
    public String describe() {
        String host = agents.isEmpty() ? "<HOST>" : agents.get(0).hostName();
        String credentials = "AWS_ACCESS_KEY_ID=" + endpoints.accessKey() + " AWS_SECRET_ACCESS_KEY="
                + endpoints.secretKey();
        return String.join(System.lineSeparator(),
                "Local inventory pipeline is running (Ctrl-C stops it).",
                "  gRPC proxy      " + grpcTarget() + "  (agent.AgentGateway, grpc.health.v1, server reflection)",
                "  SQS endpoint    " + sqsEndpoint(),
                "    task queue    " + taskQueue.url(),
                "    result queue  " + resultQueue.url() + "  (dead letters: " + resultQueue.deadLetterUrl() + ")",
                "  S3 endpoint     " + s3Endpoint() + "  bucket " + bucket() + ", prefix '" + keyPrefix() + "'",
                "  agents          " + agents.size() + " polling the task queue",
                "  credentials     " + credentials + ", region " + region().id() + " (S3 checks them)",
                "",
                "Queue an inventory:",
                "  grpcurl -plaintext -d '{\"commands\": \"inventory\\n\"}' " + grpcTarget()
                        + " agent.AgentGateway/Run",
                "Read a host's inventory (host names are stored lower case):",
                "  " + credentials + " aws --region " + region().id()
                        + " --endpoint-url " + s3Endpoint() + " s3 cp s3://" + bucket() + "/"
                        + hostPayloadKey(host) + " -",
                "List everything stored:",
                "  " + credentials + " aws --region " + region().id()
                        + " --endpoint-url " + s3Endpoint() + " s3 ls --recursive s3://" + bucket() + "/");
    }

    /** Stops everything in the reverse order it started; safe to call twice. */
    @Override
    public synchronized void close() {
        while (!closeInReverse.isEmpty()) {
            AutoCloseable part = closeInReverse.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Stopping a part of the local pipeline failed: {}", e.toString());
            }
        }
    }

    /** Runs the pipeline until interrupted; see {@link LocalPipelineCommand} for the options. */
    public static void main(String[] args) {
        System.exit(LocalPipelineCommand.run(args));
    }

    /** A queue and its dead-letter queue. */
    public record QueueUrls(String url, String deadLetterUrl) {
    }

    /** Settings of a local pipeline; the defaults suit a developer's run. */
    public static final class Builder {

        private AwsEndpoints external;
        private int sqsPort;
        private int grpcPort = 50051;
        private final List<List<Path>> hosts = new ArrayList<>();
        private int agentsPerHost = 1;
        private String bucket = "inventory-local";
        private String keyPrefix = "inventory/";
        private String queuePrefix = "";
        private Path commandsRoot = Path.of(".");
        private int maxReceiveCount = 5;
        private Duration taskVisibilityTimeout = Duration.ofSeconds(60);
        private Duration resultVisibilityTimeout = Duration.ofSeconds(30);
        private int batchSize = 10;
        private Duration batchingWindow = Duration.ofSeconds(1);
        private int writerPollers = 2;
        private Duration writerTimeout = Duration.ofSeconds(20);
        private double proxyRunRate = 5;

        private Builder() {
        }

        /** Use these SQS and S3 endpoints (LocalStack, say) instead of starting the embedded emulators. */
        public Builder externalEndpoints(AwsEndpoints endpoints) {
            this.external = Objects.requireNonNull(endpoints, "endpoints");
            return this;
        }

        /** Loopback port of the embedded SQS endpoint; 0, the default, takes any free port. */
        public Builder sqsPort(int port) {
            this.sqsPort = port;
            return this;
        }

        /** Loopback port of the gRPC proxy; default 50051, 0 takes any free port. */
        public Builder grpcPort(int port) {
            this.grpcPort = port;
            return this;
        }

        /** Adds a host, made of one or more .reg exports, that gets {@link #agentsPerHost} agents at start. */
        public Builder host(List<Path> registryFiles) {
            if (registryFiles.isEmpty()) {
                throw new IllegalArgumentException("a host needs at least one .reg export");
            }
            this.hosts.add(List.copyOf(registryFiles));
            return this;
        }

        public Builder agentsPerHost(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("agents per host must be at least 1, got " + count);
            }
            this.agentsPerHost = count;
            return this;
        }

        public Builder bucket(String name) {
            this.bucket = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The writer's KEY_PREFIX; default {@code inventory/}, as in the template. */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
            return this;
        }

        /** Prefixes the queue names, so several pipelines can share one SQS endpoint. */
        public Builder queuePrefix(String prefix) {
            this.queuePrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** The folder {@code commands_file} paths in Run requests are resolved in; default the working folder. */
        public Builder commandsRoot(Path root) {
            this.commandsRoot = Objects.requireNonNull(root, "root");
            return this;
        }

        /** Receives of one message before SQS moves it to the dead-letter queue; default 5, as in the template. */
        public Builder maxReceiveCount(int count) {
            this.maxReceiveCount = count;
            return this;
        }

        /** Visibility timeouts of the task queue (and of tasks the agents take) and of the result queue. */
        public Builder visibilityTimeouts(Duration tasks, Duration results) {
            this.taskVisibilityTimeout = tasks;
            this.resultVisibilityTimeout = results;
            return this;
        }

        /** The writer's event source: BatchSize and MaximumBatchingWindowInSeconds; default 10 and 1 s. */
        public Builder writerBatching(int size, Duration window) {
            this.batchSize = size;
            this.batchingWindow = window;
            return this;
        }

        /** Concurrent writer invocations and the writer's timeout; default 2 and 20 s. */
        public Builder writerConcurrency(int pollers, Duration timeout) {
            this.writerPollers = pollers;
            this.writerTimeout = timeout;
            return this;
        }

        /**
         * Run calls per second the proxy allows each client address (burst 20); default 5, the proxy's own
         * default; 0 turns the limit off, for load tests.
         */
        public Builder proxyRunRate(double perSecond) {
            this.proxyRunRate = perSecond;
            return this;
        }

        /** Starts every part, or none: a part that fails to start stops the ones already started. */
        public LocalPipeline start() {
            return new LocalPipeline(this).startAll();
        }
    }
}

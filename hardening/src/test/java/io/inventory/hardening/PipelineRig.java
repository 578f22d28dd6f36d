package io.inventory.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.agent.collect.TaskCollector;
import io.inventory.agent.collect.TaskRequest;
import io.inventory.agent.poll.PollSettings;
import io.inventory.agent.poll.QueueHealth;
import io.inventory.agent.poll.TaskPoller;
import io.inventory.codec.InvalidMessageException;
import io.inventory.codec.ProtoJson;
import io.inventory.commands.Section;
import io.inventory.gateway.GatewayHandler;
import io.inventory.gateway.GatewaySettings;
import io.inventory.local.EventSourceMapping;
import io.inventory.proto.HostInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.Program;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import io.inventory.queue.QueueMessageCodec;
import io.inventory.testing.S3Emulator;
import io.inventory.testing.SqsEmulator;
import io.inventory.writer.WriterHandler;
import io.inventory.writer.WriterSettings;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The pipeline as the tests run it: ElasticMQ and s3proxy, a {@link FaultProxy} in front of each, the gateway
 * handler queueing tasks, real agent {@link TaskPoller}s answering them, and the real writer driven by the local
 * {@link EventSourceMapping} as Lambda drives it. Only the registry is synthetic: each agent's collector reports the
 * host the task's line number picks, so a few agents can stand for many hosts.
 */
final class PipelineRig implements AutoCloseable {

    static final String BUCKET = "inventory";
    static final String TASKS = "inventory_tasks";
    static final String RESULTS = "inventory_results";

    private final int hosts;
    private final int maxReceiveCount;
    private final Duration taskVisibility;
    private final Duration resultVisibility;
    private final List<TaskPoller> agents = new ArrayList<>();
    private final List<SqsClient> agentClients = new ArrayList<>();
    private final Map<String, AtomicLong> collections = new ConcurrentHashMap<>();
    private final Map<String, Set<Section>> sectionsAsked = new ConcurrentHashMap<>();
    private final Set<String> produced = ConcurrentHashMap.newKeySet();

    private SqsEmulator sqs;
    private final S3Emulator s3;
    private final FaultProxy sqsFaults;
    private final FaultProxy s3Faults;
    private final S3Client writerS3;
    private final S3Client auditS3;
    private SqsClient sqsClient;
    private GatewayHandler gateway;
    private EventSourceMapping writer;
    private SqsEmulator.QueuePair taskQueue;
    private SqsEmulator.QueuePair resultQueue;

    PipelineRig(int hosts, int maxReceiveCount, Duration taskVisibility, Duration resultVisibility)
            throws IOException {
        this.hosts = hosts;
        this.maxReceiveCount = maxReceiveCount;
        this.taskVisibility = taskVisibility;
        this.resultVisibility = resultVisibility;

        sqs = SqsEmulator.start();
        s3 = S3Emulator.start();
        sqsFaults = FaultProxy.start(sqs.port());
        s3Faults = FaultProxy.start(s3.endpoint().getPort());
        s3.createBucket(BUCKET);
        createQueues();
        sqsClient = sqs.newClient();

        // The writer's client goes through the fault proxy, with the SDK's standard retries as in Lambda.
        writerS3 = s3.newClient(builder -> builder.endpointOverride(s3Faults.endpoint())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)));
        auditS3 = s3.newClient();
        gateway = new GatewayHandler(sqsClient, auditS3, GatewaySettings.forQueue(taskQueue.url()));
    }

    private void createQueues() {
        taskQueue = sqs.createQueueWithDeadLetter(TASKS, maxReceiveCount, (int) taskVisibility.toSeconds());
        resultQueue = sqs.createQueueWithDeadLetter(RESULTS, maxReceiveCount, (int) resultVisibility.toSeconds());
    }

    /** Starts the writer's event source mapping with this many concurrent invocations. */
    PipelineRig startWriter(int concurrency) {
        writer = EventSourceMapping.builder(sqsClient, resultQueue.url(),
                        new WriterHandler(writerS3, WriterSettings.forBucket(BUCKET).withKeyPrefix("")))
                .functionName("writer")
                .batchSize(10)
                .batchingWindow(Duration.ofMillis(200))
                .receiveWait(Duration.ofSeconds(1))
                .pollers(concurrency)
                .functionTimeout(Duration.ofSeconds(30))
                .start();
        return this;
    }

    /** Starts {@code count} agents whose SQS calls go through the SQS fault proxy. */
    PipelineRig startAgents(int count) {
        for (int i = 0; i < count; i++) {
            SqsClient client = SqsClient.builder()
                    .endpointOverride(sqsFaults.endpoint())
                    .region(SqsEmulator.REGION)
                    .credentialsProvider(SqsEmulator.CREDENTIALS)
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build();
            PollSettings settings = new PollSettings(taskQueue.url(), resultQueue.url(), 2,
                    QueueMessageCodec.DEFAULT_MAX_MESSAGE_BYTES, 1, Duration.ofSeconds(5), 3, "agent-" + i,
                    Duration.ofMillis(100), Duration.ofSeconds(2));
            TaskPoller poller = new TaskPoller(client, settings, this::collect, QueueHealth.NONE, Clock.systemUTC(),
                    "hardening");
            poller.start();
            agents.add(poller);
            agentClients.add(client);
        }
        return this;
    }

    /** Stops every agent, letting collections in progress finish. */
    void stopAgents() throws InterruptedException {
        for (TaskPoller agent : agents) {
            agent.stop();
        }
        agents.clear();
        agentClients.forEach(SqsClient::close);
        agentClients.clear();
    }

    /** Queues one run of {@code lines} inventory commands through the gateway, with a client-chosen run id. */
    RunResponse run(String runId, int lines) {
        RunResponse response = gateway.run(RunRequest.newBuilder()
                .setRunId(runId)
                .setSource("hardening")
                .setCommands("inventory\n".repeat(lines))
                .build(), Duration.ofSeconds(60));
        assertThat(response.getOk()).as("run %s: %s", runId, response.getError()).isTrue();
        return response;
    }

    /**
     * Restarts the SQS server on the same port. ElasticMQ keeps messages in memory, so everything it held is lost,
     * as it would be with a real queue deleted and recreated; the queues are created again, empty.
     */
    void restartSqs() {
        int port = sqs.port();
        sqs.close();
        sqs = SqsEmulator.start(port);
        createQueues();
    }

    private InventoryDocument collect(TaskRequest task) {
        collections.computeIfAbsent(task.taskId(), k -> new AtomicLong()).incrementAndGet();
        sectionsAsked.put(task.taskId(), task.sections());
        int line = Integer.parseInt(task.taskId().substring(task.taskId().lastIndexOf("-L") + 2));
        String host = hostName(line);
        String collectedAt = Instant.now().toString();
        produced.add(task.taskId() + "@" + collectedAt);
        return InventoryDocument.newBuilder()
                .setSchema("inventory/v1")
                .setHost(HostInfo.newBuilder().setName(host))
                .setCollectedAt(collectedAt)
                .setStatus("ok")
                .setTaskId(task.taskId())
                .setRunId(task.runId())
                .addPrograms(Program.newBuilder().setName("Program of " + task.taskId()).setVersion("1.0"))
                .build();
    }

    String hostName(int line) {
        return String.format(Locale.ROOT, "HOST-%03d", line % hosts);
    }

    FaultProxy sqsFaults() {
        return sqsFaults;
    }

    FaultProxy s3Faults() {
        return s3Faults;
    }

    SqsClient sqs() {
        return sqsClient;
    }

    SqsEmulator.QueuePair taskQueue() {
        return taskQueue;
    }

    SqsEmulator.QueuePair resultQueue() {
        return resultQueue;
    }

    EventSourceMapping writer() {
        return writer;
    }

    /** How many times agents collected each task: above one means a task was redelivered. */
    Map<String, Long> collections() {
        Map<String, Long> counts = new HashMap<>();
        collections.forEach((task, count) -> counts.put(task, count.get()));
        return counts;
    }

    /** The sections each collected task asked the collector for, by task id. */
    Map<String, Set<Section>> sectionsAsked() {
        return Map.copyOf(sectionsAsked);
    }

    /** Every object in the bucket. */
    List<S3Object> objects() {
        List<S3Object> all = new ArrayList<>();
        auditS3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(BUCKET).build())
                .contents().forEach(all::add);
        return all;
    }

    /** The task ids of the stored run objects. */
    List<String> storedTaskIds() {
        List<String> ids = new ArrayList<>();
        for (S3Object object : objects()) {
            if (object.key().startsWith("runs/")) {
                String name = object.key().substring(object.key().lastIndexOf('/') + 1);
                ids.add(name.substring(0, name.length() - ".json".length()));
            }
        }
        return ids;
    }

    /** Whether every queue, dead-letter queues aside, is empty and nothing is in flight. */
    boolean drained() {
        return queueEmpty(taskQueue.url()) && queueEmpty(resultQueue.url());
    }

    private boolean queueEmpty(String url) {
        Map<QueueAttributeName, String> attributes = sqsClient.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).equals("0")
                && attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).equals("0");
    }

    /** Takes every message off a dead-letter queue and returns the bodies. */
    List<String> drainDeadLetters(String deadLetterUrl) {
        List<String> bodies = new ArrayList<>();
        while (true) {
            List<Message> messages = sqsClient.receiveMessage(b -> b.queueUrl(deadLetterUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(0).visibilityTimeout(300)).messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            messages.forEach(message -> bodies.add(message.body()));
        }
    }

    /**
     * Checks the promise after a scenario: every accepted task has exactly one result object, and every host's
     * payload.json holds an inventory an agent really collected that is at least as new as every result stored for
     * the host. (A redelivered task is collected again; the writer keeps the first result object and may put the
     * later collection into payload.json, so the payload is compared with collections, not only with run objects.)
     */
    void assertEveryTaskStoredOnceAndEveryHostNewest(Set<String> acceptedTaskIds) throws InvalidMessageException {
        List<String> stored = storedTaskIds();
        assertThat(stored).as("result objects").doesNotHaveDuplicates();
        assertThat(new HashSet<>(stored)).as("result objects").isEqualTo(acceptedTaskIds);

        Map<String, InventoryResult> newestByHost = new HashMap<>();
        for (S3Object object : objects()) {
            if (!object.key().startsWith("runs/")) {
                continue;
            }
            InventoryResult result = ProtoJson.parse(read(object.key()), InventoryResult.newBuilder());
            newestByHost.merge(result.getHost().toLowerCase(Locale.ROOT), result,
                    (a, b) -> newer(a.getCollectedAt(), a.getTaskId(), b.getCollectedAt(), b.getTaskId())
                            >= 0 ? a : b);
        }
        for (Map.Entry<String, InventoryResult> entry : newestByHost.entrySet()) {
            InventoryDocument payload = ProtoJson.parse(read("hosts/" + entry.getKey() + "/payload.json"),
                    InventoryDocument.newBuilder());
            InventoryResult newestStored = entry.getValue();
            assertThat(newer(payload.getCollectedAt(), payload.getTaskId(), newestStored.getCollectedAt(),
                    newestStored.getTaskId())).as("payload.json of %s (task %s at %s) against stored task %s at %s",
                    entry.getKey(), payload.getTaskId(), payload.getCollectedAt(), newestStored.getTaskId(),
                    newestStored.getCollectedAt()).isGreaterThanOrEqualTo(0);
            assertThat(produced).as("collections an agent made").contains(payload.getTaskId() + "@"
                    + payload.getCollectedAt());
        }
    }

    /** The writer's order of results: collected_at, then task id. */
    private static int newer(String collectedAt, String taskId, String otherCollectedAt, String otherTaskId) {
        int byTime = Instant.parse(collectedAt).compareTo(Instant.parse(otherCollectedAt));
        return byTime != 0 ? byTime : taskId.compareTo(otherTaskId);
    }

    String read(String key) {
        return auditS3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
    }

    @Override
    public void close() throws Exception {
        stopAgents();
        if (writer != null) {
            writer.close();
        }
        gateway.close();
        sqsFaults.close();
        s3Faults.close();
        sqsClient.close();
        writerS3.close();
        auditS3.close();
        sqs.close();
        s3.close();
    }
}

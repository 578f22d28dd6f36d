package io.inventory.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.inventory.codec.InvalidMessageException;
import io.inventory.codec.ProtoJson;
import io.inventory.inventory.InventoryCollector;
import io.inventory.proto.AgentGatewayGrpc;
import io.inventory.proto.DependencyCheck;
import io.inventory.proto.FleetIndex;
import io.inventory.proto.HealthRequest;
import io.inventory.proto.HealthResponse;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.Program;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import io.inventory.proto.TaskAssignment;
import io.inventory.queue.QueueMessageCodec;
import io.inventory.registry.RegFileException;
import io.inventory.registry.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The end-to-end scenarios, run against every backend: a Run through the proxy on a real socket, the gateway, the
 * task queue, agents on .reg exports, the result queue, the writer driven by the event source mapping, and the
 * objects in the bucket. Each scenario starts the agents it needs and stops them, so the hosts that can answer a
 * run are exactly the ones the scenario chose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PipelineScenarios {

    /** Generous: the suite runs on a loaded two-core machine; awaits return as soon as the outcome is there. */
    static final Duration PATIENCE = Duration.ofSeconds(120);

    static final Path SAMPLE_EXPORT = Path.of("..", "samples", "workstation.reg");

    /** Receives before a result is dead-lettered; small so the poison scenario ends quickly. */
    static final int MAX_RECEIVE_COUNT = 3;

    private static final AtomicInteger RUN_NUMBER = new AtomicInteger();

    @TempDir
    Path exports;

    LocalPipeline pipeline;
    ManagedChannel channel;
    AgentGatewayGrpc.AgentGatewayBlockingStub gateway;

    /** The pipeline settings of a backend; the scenarios add no agents at start. */
    abstract LocalPipeline.Builder backend();

    /** Settings every backend shares: short visibility timeouts so retries and redrive happen within seconds. */
    static LocalPipeline.Builder common() {
        return LocalPipeline.builder()
                .grpcPort(0)
                .maxReceiveCount(MAX_RECEIVE_COUNT)
                .visibilityTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(6))
                .writerBatching(10, Duration.ofSeconds(1))
                .writerConcurrency(2, Duration.ofSeconds(5));
    }

    @BeforeAll
    void startPipeline() {
        pipeline = backend().start();
        channel = NettyChannelBuilder.forTarget(pipeline.grpcTarget()).usePlaintext().build();
        gateway = AgentGatewayGrpc.newBlockingStub(channel);
    }

    @AfterAll
    void stopPipeline() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void runThroughTheProxyStoresEachAcceptedTaskOnceAndTheHostsNewestInventory() throws Exception {
        InventoryDocument expected = collectDirectly(List.of(SAMPLE_EXPORT));
        String commands = "inventory\n# a comment\nfrobnicate the disks\ninventory os programs\n";

        try (LocalAgent agent = pipeline.startAgent(List.of(SAMPLE_EXPORT))) {
            RunResponse response = run(commands, newRunId());

            assertThat(response.getAccepted()).isEqualTo(2);
            assertThat(response.getTasksList()).extracting(TaskAssignment::getLine).containsExactly(1, 4);
            assertThat(response.getTasksList()).allMatch(TaskAssignment::getQueued);
            assertThat(response.getRejectedList()).singleElement().satisfies(rejected -> {
                assertThat(rejected.getLine()).isEqualTo(3);
                assertThat(rejected.getText()).isEqualTo("frobnicate the disks");
                assertThat(rejected.getReason()).isNotBlank();
            });

            List<InventoryResult> results = awaitRunObjects(response);
            assertThat(results).extracting(InventoryResult::getHost).containsOnly(agent.hostName());
            assertThat(results).extracting(InventoryResult::getStatus).containsOnly("ok");

            Set<String> newest = newestTaskIds(results);
            InventoryDocument payload = awaitPayload(agent.hostName(),
                    document -> newest.contains(document.getTaskId()));
            assertThat(payload.getRunId()).isEqualTo(response.getRunId());
            assertThat(payload.getHost().getName()).isEqualTo("WS-ACCT-042");
            assertThat(payload.getOs().getProductName()).isEqualTo(expected.getOs().getProductName());
            assertThat(programNames(payload)).isEqualTo(programNames(expected))
                    .contains("7-Zip 23.01 (x64)").doesNotContain("KB5034441");
        }
    }

    @Test
    void severalHostsEachGetTheirOwnInventoryAndTheFleetIndexListsThem() throws Exception {
        Map<String, SyntheticExport> hosts = new HashMap<>();
        List<LocalAgent> agents = new ArrayList<>();
        try {
            for (String name : List.of("LAB-HOST-A", "LAB-HOST-B", "LAB-HOST-C")) {
                SyntheticExport export = new SyntheticExport(name, 20, "3.1");
                hosts.put(name, export);
                agents.add(pipeline.startAgent(List.of(export.writeTo(exports.resolve(name + ".reg")))));
            }

            RunResponse response = run("inventory\n".repeat(9), newRunId());
            List<InventoryResult> results = awaitRunObjects(response);

            Map<String, List<InventoryResult>> byHost = results.stream()
                    .collect(Collectors.groupingBy(InventoryResult::getHost));
            assertThat(hosts.keySet()).containsAll(byHost.keySet());
            for (Map.Entry<String, List<InventoryResult>> host : byHost.entrySet()) {
                Set<String> newest = newestTaskIds(host.getValue());
                InventoryDocument payload = awaitPayload(host.getKey(),
                        document -> newest.contains(document.getTaskId()));
                assertThat(programNames(payload)).as("programs of %s", host.getKey())
                        .isEqualTo(Set.copyOf(hosts.get(host.getKey()).programNames()));
            }
            Set<String> hostKeys = byHost.keySet().stream().map(String::toLowerCase).collect(Collectors.toSet());
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(fleetIndex().getHostsMap().keySet())
                    .containsAll(hostKeys));
            FleetIndex index = fleetIndex();
            for (String key : hostKeys) {
                assertThat(index.getHostsMap().get(key).getProgramCount()).as("programs of %s", key).isEqualTo(20);
            }
        } finally {
            agents.forEach(LocalAgent::close);
        }
    }

    @Test
    void retriedRunWithTheSameRunIdKeepsOneObjectPerTask() throws Exception {
        SyntheticExport export = new SyntheticExport("LAB-RETRY", 5, "1.0");
        String runId = newRunId();

        try (LocalAgent agent = pipeline.startAgent(List.of(export.writeTo(exports.resolve("retry.reg"))))) {
            RunResponse first = run("inventory\ninventory programs\n", runId);
            awaitRunObjects(first);
            RunResponse second = run("inventory\ninventory programs\n", runId);

            assertThat(second.getTasksList()).extracting(TaskAssignment::getTaskId)
                    .containsExactlyElementsOf(first.getTasksList().stream().map(TaskAssignment::getTaskId).toList());
            await().atMost(PATIENCE).until(() -> queueIsDrained(pipeline.taskQueue().url())
                    && queueIsDrained(pipeline.resultQueue().url()));
            assertThat(runObjectKeys(runId)).containsExactlyInAnyOrderElementsOf(expectedRunKeys(first));
            assertThat(awaitPayload(agent.hostName(), document -> document.getRunId().equals(runId))
                    .getProgramsList()).hasSize(5);
        }
    }

    @Test
    void newerInventoryOfAHostReplacesTheOlderOne() throws Exception {
        Path before = new SyntheticExport("LAB-UPGRADE", 10, "1.0").writeTo(exports.resolve("upgrade-1.reg"));
        Path after = new SyntheticExport("LAB-UPGRADE", 12, "2.0").writeTo(exports.resolve("upgrade-2.reg"));

        try (LocalAgent agent = pipeline.startAgent(List.of(before))) {
            RunResponse first = run("inventory\n", newRunId());
            awaitPayload(agent.hostName(), document -> document.getRunId().equals(first.getRunId()));
        }
        try (LocalAgent agent = pipeline.startAgent(List.of(after))) {
            RunResponse second = run("inventory\n", newRunId());
            InventoryDocument payload = awaitPayload(agent.hostName(),
                    document -> document.getRunId().equals(second.getRunId()));

            assertThat(payload.getProgramsList()).hasSize(12).extracting(Program::getVersion).containsOnly("2.0");
        }
    }

    @Test
    void hostWithFiveThousandProgramsLandsIntactThroughTheSizeLimitedQueue() throws Exception {
        SyntheticExport export = new SyntheticExport("LAB-LARGE", 5_000, "9.9");
        Path file = export.writeTo(exports.resolve("large.reg"));

        try (LocalAgent agent = pipeline.startAgent(List.of(file))) {
            RunResponse response = run("inventory\n", newRunId());
            awaitRunObjects(response);
            InventoryDocument payload = awaitPayload(agent.hostName(),
                    document -> document.getRunId().equals(response.getRunId()));

            assertThat(payload.getProgramsList()).hasSize(5_000);
            assertThat(programNames(payload)).isEqualTo(Set.copyOf(export.programNames()));
            long storedBytes = pipeline.s3().headObject(b -> b.bucket(pipeline.bucket())
                    .key(pipeline.hostPayloadKey("LAB-LARGE"))).contentLength();
            assertThat(storedBytes).as("the document is larger than any SQS message, so it travelled compressed")
                    .isGreaterThan(QueueMessageCodec.DEFAULT_MAX_MESSAGE_BYTES);
        }
    }

    @Test
    void resultQueueRefusesAMessageOverTheSqsLimitAsSqsDoes() {
        String tooLarge = "x".repeat(QueueMessageCodec.DEFAULT_MAX_MESSAGE_BYTES + 1);

        assertThatThrownBy(() -> pipeline.sqs().sendMessage(b -> b.queueUrl(pipeline.resultQueue().url())
                .messageBody(tooLarge)))
                .as("the limit the 5,000-program result had to fit under is enforced in this JVM")
                .isInstanceOf(SqsException.class);
    }

    @Test
    void poisonResultReachesTheDeadLetterQueueWhileGoodResultsLand() throws Exception {
        String poison = Base64.getEncoder().encodeToString("this is not gzip".getBytes());
        pipeline.sqs().sendMessage(b -> b.queueUrl(pipeline.resultQueue().url()).messageBody(poison)
                .messageAttributes(Map.of(QueueMessageCodec.CONTENT_ENCODING, MessageAttributeValue.builder()
                        .dataType("String").stringValue(QueueMessageCodec.GZIP_BASE64).build())));
        SyntheticExport export = new SyntheticExport("LAB-GOOD", 3, "1.0");

        try (LocalAgent agent = pipeline.startAgent(List.of(export.writeTo(exports.resolve("good.reg"))))) {
            RunResponse response = run("inventory\ninventory\n", newRunId());

            awaitRunObjects(response);
            List<Message> dead = new ArrayList<>();
            await().atMost(PATIENCE).until(() -> {
                dead.addAll(pipeline.sqs().receiveMessage(b -> b.queueUrl(pipeline.resultQueue().deadLetterUrl())
                        .maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All")).messages());
                return dead.stream().anyMatch(message -> message.body().equals(poison));
            });
            assertThat(pipeline.writerMapping().stats().reportedFailures()).isGreaterThanOrEqualTo(MAX_RECEIVE_COUNT);
            assertThat(awaitPayload(agent.hostName(), document -> document.getRunId().equals(response.getRunId()))
                    .getProgramsList()).hasSize(3);
        }
    }

    @Test
    void healthThroughTheProxyChecksQueuesBucketAndGateway() {
        HealthResponse health = gateway.withDeadlineAfter(60, TimeUnit.SECONDS)
                .health(HealthRequest.getDefaultInstance());

        assertThat(health.getOk()).isTrue();
        assertThat(health.getChecksList()).extracting(DependencyCheck::getName).contains("task_queue",
                "result_queue", "task_dead_letter_queue", "result_dead_letter_queue", "bucket", "gateway");
    }

    // ---- helpers shared by the backends' own scenarios ------------------------------------------------------

    RunResponse run(String commands, String runId) {
        return gateway.withDeadlineAfter(60, TimeUnit.SECONDS).run(RunRequest.newBuilder()
                .setCommands(commands).setRunId(runId).setSource("e2e").build());
    }

    static String newRunId() {
        return "e2e-" + System.currentTimeMillis() + "-" + RUN_NUMBER.incrementAndGet();
    }

    /** Waits until every queued task of the run has its object under runs/, then reads them. */
    List<InventoryResult> awaitRunObjects(RunResponse response) throws InvalidMessageException {
        List<String> expected = expectedRunKeys(response);
        await().atMost(PATIENCE).until(() -> Set.copyOf(runObjectKeys(response.getRunId()))
                .containsAll(expected));

        assertThat(runObjectKeys(response.getRunId())).as("one object per accepted task, and no other")
                .containsExactlyInAnyOrderElementsOf(expected);
        List<InventoryResult> results = new ArrayList<>();
        for (String key : expected) {
            String json = pipeline.s3().getObjectAsBytes(b -> b.bucket(pipeline.bucket()).key(key)).asUtf8String();
            results.add(ProtoJson.parse(json, InventoryResult.newBuilder()));
        }
        return results;
    }

    List<String> expectedRunKeys(RunResponse response) {
        return response.getTasksList().stream().filter(TaskAssignment::getQueued)
                .map(task -> pipeline.runPrefix(response.getRunId()) + task.getTaskId() + ".json").toList();
    }

    List<String> runObjectKeys(String runId) {
        return pipeline.s3().listObjectsV2Paginator(b -> b.bucket(pipeline.bucket())
                        .prefix(pipeline.runPrefix(runId))).contents().stream().map(S3Object::key).toList();
    }

    InventoryDocument awaitPayload(String host, Predicate<InventoryDocument> wanted) {
        InventoryDocument[] found = new InventoryDocument[1];
        await().atMost(PATIENCE).until(() -> {
            found[0] = pipeline.hostPayload(host).orElse(null);
            return found[0] != null && wanted.test(found[0]);
        });
        return found[0];
    }

    FleetIndex fleetIndex() throws InvalidMessageException {
        try {
            String json = pipeline.s3().getObjectAsBytes(b -> b.bucket(pipeline.bucket())
                    .key(pipeline.keyPrefix() + "payload.json")).asUtf8String();
            return ProtoJson.parse(json, FleetIndex.newBuilder());
        } catch (NoSuchKeyException e) {
            return FleetIndex.getDefaultInstance();
        }
    }

    boolean queueIsDrained(String queueUrl) {
        Map<String, String> attributes = pipeline.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                .attributesAsStrings();
        return "0".equals(attributes.get("ApproximateNumberOfMessages"))
                && "0".equals(attributes.get("ApproximateNumberOfMessagesNotVisible"));
    }

    /** The task ids of the newest results (several when their times tie): the payload must be one of them. */
    static Set<String> newestTaskIds(List<InventoryResult> results) {
        Instant newest = results.stream().map(result -> Instant.parse(result.getCollectedAt()))
                .max(Comparator.naturalOrder()).orElseThrow();
        return results.stream().filter(result -> Instant.parse(result.getCollectedAt()).equals(newest))
                .map(InventoryResult::getTaskId).collect(Collectors.toSet());
    }

    static Set<String> programNames(InventoryDocument document) {
        return document.getProgramsList().stream().map(Program::getName).collect(Collectors.toSet());
    }

    /** What the agent's own collectors read from an export: the oracle for what must land in the bucket. */
    static InventoryDocument collectDirectly(List<Path> export) throws RegFileException {
        assertThat(export).allMatch(Files::isRegularFile);
        return new InventoryCollector(Registries.open(export), Clock.systemUTC(), "oracle").collect(Set.of());
    }
}

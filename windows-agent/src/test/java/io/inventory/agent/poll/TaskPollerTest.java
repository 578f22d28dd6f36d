package io.inventory.agent.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inventory.agent.collect.RegistryTaskCollector;
import io.inventory.agent.collect.TaskCollector;
import io.inventory.agent.poll.QueueFixture.ReceivedResult;
import io.inventory.proto.HostInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.Program;
import io.inventory.proto.SectionError;
import io.inventory.registry.Registries;
import io.inventory.testing.SqsEmulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;

class TaskPollerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static SqsEmulator sqs;

    private final List<TaskPoller> pollers = new ArrayList<>();
    private final List<SqsClient> clients = new ArrayList<>();

    @BeforeAll
    static void startEmulator() {
        sqs = SqsEmulator.start();
    }

    @AfterAll
    static void stopEmulator() {
        sqs.close();
    }

    @AfterEach
    void stopPollers() throws InterruptedException {
        for (TaskPoller poller : pollers) {
            poller.stop();
        }
        clients.forEach(SqsClient::close);
    }

    private TaskPoller start(PollSettings settings, TaskCollector collector) {
        return start(settings, collector, sqs.newClient());
    }

    private TaskPoller start(PollSettings settings, TaskCollector collector, SqsClient client) {
        clients.add(client);
        TaskPoller poller = new TaskPoller(client, settings, collector, QueueHealth.NONE, Clock.systemUTC(), "test");
        pollers.add(poller);
        poller.start();
        return poller;
    }

    private static TaskCollector fixtureCollector() throws Exception {
        Path fixture = Path.of(TaskPollerTest.class.getResource("/agent/workstation-small.reg").toURI());
        return new RegistryTaskCollector(Registries.open(List.of(fixture)), Clock.systemUTC(), "test");
    }

    private static InventoryDocument document(String taskId, String runId, int programs) {
        InventoryDocument.Builder document = InventoryDocument.newBuilder().setSchema("inventory/v1").setStatus("ok")
                .setHost(HostInfo.newBuilder().setName("WS-SLOW")).setCollectedAt("2026-12-03T10:00:00Z")
                .setTaskId(taskId).setRunId(runId);
        for (int i = 0; i < programs; i++) {
            document.addPrograms(Program.newBuilder().setName(UUID.randomUUID().toString())
                    .setPublisher(UUID.randomUUID().toString()));
        }
        return document.build();
    }

    private static List<ReceivedResult> awaitResults(QueueFixture queues, int count) {
        List<ReceivedResult> results = new CopyOnWriteArrayList<>();
        await().atMost(WAIT).until(() -> {
            results.addAll(queues.takeResults());
            return results.size() >= count;
        });
        return results;
    }

    @Test
    void resultsOnTheResultQueueDecodeToTheInventoryAndTasksAreDeleted() throws Exception {
        QueueFixture queues = new QueueFixture(sqs, 30, 3);
        start(QueueFixture.settings(queues, 2, 262144, Duration.ofSeconds(5), 3), fixtureCollector());

        String all = queues.sendTask("run-happy", 1);
        String os = queues.sendTask("run-happy", 2, "os");

        List<ReceivedResult> results = awaitResults(queues, 2);
        assertThat(results).extracting(received -> received.result().getTaskId()).containsExactlyInAnyOrder(all, os);
        for (ReceivedResult received : results) {
            InventoryResult result = received.result();
            assertThat(result.getStatus()).isEqualTo("ok");
            assertThat(result.getHost()).isEqualTo("WS-FIXTURE-01");
            assertThat(result.getInventory().getTaskId()).isEqualTo(result.getTaskId());
            assertThat(result.getInventory().getOs().getCurrentBuild()).isEqualTo("22631");
            assertThat(received.attributes()).containsEntry("run_id", "run-happy")
                    .containsEntry("task_id", result.getTaskId()).containsEntry("host", "WS-FIXTURE-01");
        }
        InventoryResult full = results.stream().map(ReceivedResult::result)
                .filter(result -> result.getTaskId().equals(all)).findFirst().orElseThrow();
        assertThat(full.getInventory().getProgramsList()).extracting(Program::getName)
                .contains("7-Zip 23.01 (x64)");
        await().atMost(WAIT).until(() -> queues.tasksOnQueue() == 0);
    }

    @Test
    void taskIsNotDeletedWhenItsResultCannotBeSent() throws Exception {
        QueueFixture queues = new QueueFixture(sqs, 30, 100);
        PollSettings settings = QueueFixture.settings(queues, 1, 262144, Duration.ofSeconds(5), 3);
        String missingResultQueue = queues.results.replace(queues.name + "_results", "no_such_queue");
        AtomicInteger collections = new AtomicInteger();
        TaskCollector counting = task -> {
            collections.incrementAndGet();
            return document(task.taskId(), task.runId(), 1);
        };
        start(new PollSettings(settings.taskQueueUrl(), missingResultQueue, 1, 262144, 1, Duration.ofSeconds(5), 3,
                "H", Duration.ofMillis(20), Duration.ofMillis(50)), counting);

        queues.sendTask("run-nosend", 1);

        await().atMost(WAIT).until(() -> collections.get() >= 2);
        assertThat(queues.tasksOnQueue()).as("the task is still on the queue").isEqualTo(1);
    }

    @Test
    void slowCollectionKeepsItsTaskInvisiblePastTheVisibilityTimeout() throws Exception {
        QueueFixture queues = new QueueFixture(sqs, 2, 10);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger collections = new AtomicInteger();
        TaskCollector slow = task -> {
            collections.incrementAndGet();
            try {
                finish.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return document(task.taskId(), task.runId(), 1);
        };
        start(QueueFixture.settings(queues, 2, 262144, Duration.ofSeconds(5), 3), slow);
        TaskPoller second = start(QueueFixture.settings(queues, 2, 262144, Duration.ofSeconds(5), 3), slow);

        String taskId = queues.sendTask("run-slow", 1);
        await().atMost(WAIT).until(() -> collections.get() == 1);

        await("one collection and no visible task through three visibility timeouts")
                .during(Duration.ofSeconds(6)).atMost(WAIT)
                .until(() -> collections.get() == 1 && queues.visibleTasks() == 0);
        finish.countDown();
        List<ReceivedResult> results = awaitResults(queues, 1);
        assertThat(results).extracting(received -> received.result().getTaskId()).containsExactly(taskId);
        await().atMost(WAIT).until(() -> queues.tasksOnQueue() == 0);
        assertThat(second.inFlightCount()).isZero();
    }

    @Test
    void taskNotDeletedAfterACrashComesBackAndItsResultIsSentAgainWithTheSameTaskId() throws Exception {
        QueueFixture queues = new QueueFixture(sqs, 2, 10);
        SqsClient crashesBeforeDelete = SqsClient.builder()
                .endpointOverride(sqs.endpoint()).region(SqsEmulator.REGION)
                .credentialsProvider(SqsEmulator.CREDENTIALS)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new FailDeletes()))
                .build();
        TaskCollector collector = task -> document(task.taskId(), task.runId(), 1);
        TaskPoller crashing = start(QueueFixture.settings(queues, 1, 262144, Duration.ofSeconds(5), 3), collector,
                crashesBeforeDelete);
        String taskId = queues.sendTask("run-crash", 1);
        List<ReceivedResult> first = awaitResults(queues, 1);
        crashing.stop();

        start(QueueFixture.settings(queues, 1, 262144, Duration.ofSeconds(5), 3), collector);

        List<ReceivedResult> second = awaitResults(queues, 1);
        assertThat(first.get(0).result().getTaskId()).isEqualTo(taskId);
        assertThat(second.get(0).result().getTaskId()).isEqualTo(taskId);
        await().atMost(WAIT).until(() -> queues.tasksOnQueue() == 0);
    }

    @Test
    void collectionThatThrowsSendsAnErrorResultAndCompletesTheTask() throws Exception {
        QueueFixture queues = new QueueFixture(sqs, 30, 3);
        start(QueueFixture.settings(queues, 1, 262144, Duration.ofSeconds(5), 3), task -> {
            throw new IllegalStateException("hive unloaded");
        });

        String taskId = queues.sendTask("run-fail", 4, "programs");

        InventoryResult result = awaitResults(queues, 1).get(0).result();
        assertThat(result.getTaskId()).isEqualTo(taskId);
        assertThat(result.getStatus()).isEqualTo("error");
        assertThat(result.getErrorCode()).isEqualTo("COLLECTION_FAILED");
        assertThat(result.getErrorMessage()).isEqualTo("IllegalStateException: hive unloaded");
        assertThat(result.getHost()).isEqualTo("FALLBACK-HOST");
        assertThat(result.hasInventory()).isFalse();
        await().atMost(WAIT).until(() -> queues.tasksOnQueue() == 0);
    }

    @Test
    void documentWithNothingCollectedBecomesAnErrorResult() throws Exception {
        QueueFixture queues = new QueueFixture(sqs, 30, 3);
        TaskCollector unavailable = task -> InventoryDocument.newBuilder().setStatus("error")
                .setTaskId(task.taskId()).setRunId(task.runId())
                .addErrors(SectionError.newBuilder().setSection("host").setCode("REGISTRY_UNAVAILABLE")
                        .setMessage("not Windows"))
                .build();
        start(QueueFixture.settings(queues, 1, 262144, Duration.ofSeconds(5), 3), unavailable);

        queues.sendTask("run-noreg", 1);

        InventoryResult result = awaitResults(queues, 1).get(0).result();
        assertThat(result.getStatus()).isEqualTo("error");
        assertThat(result.getErrorCode()).isEqualTo("COLLECTION_FAILED");
        assertThat(result.getErrorMessage()).isEqualTo("host: REGISTRY_UNAVAILABLE not Windows");
        assertThat(result.getHost()).isEqualTo("FALLBACK-HOST");
    }

    @Test
    void malformedTasksReachTheDeadLetterQueueWithoutResultsAndGoodTasksStillRun() throws Exception {
        QueueFixture queues = new QueueFixture(sqs, 1, 2);
        start(QueueFixture.settings(queues, 2, 262144, Duration.ofSeconds(5), 3),
                task -> document(task.taskId(), task.runId(), 1));

        queues.sendRaw("this is not json", Map.of());
        queues.sendRaw("{\"task_id\":\"x\",\"run_id\":\"run-bad\"}", Map.of());
        queues.sendRaw("{\"task_id\":\"run-bad-L1\",\"run_id\":\"run-bad\",\"sections\":[\"disks\"]}", Map.of());
        queues.sendRaw("{\"task_id\":\"run-bad-L1\",\"run_id\":\"run-bad\",\"line\":\"one\"}", Map.of());
        String good = queues.sendTask("run-good", 1);

        await().atMost(WAIT).until(() -> queues.deadLetters() == 4);
        List<ReceivedResult> results = new ArrayList<>(queues.takeResults());
        results.addAll(queues.takeResults());
        assertThat(results).extracting(received -> received.result().getTaskId()).containsExactly(good);
        await().atMost(WAIT).until(() -> queues.tasksOnQueue() == 0);
    }

    @Test
    void stopDuringWorkMakesUnfinishedTasksVisibleAgainAtOnce() throws Exception {
        QueueFixture queues = new QueueFixture(sqs, 300, 10);
        CountDownLatch started = new CountDownLatch(2);
        TaskCollector endless = task -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("interrupted");
        };
        TaskPoller poller = start(QueueFixture.settings(queues, 2, 262144, Duration.ofSeconds(1), 3), endless);
        queues.sendTask("run-stop", 1);
        queues.sendTask("run-stop", 2);
        assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(queues.visibleTasks()).isZero();

        poller.stop();

        assertThat(queues.visibleTasks()).as("tasks visible again although the queue's timeout is 300 s")
                .isEqualTo(2);
        assertThat(queues.takeResults()).as("no result for an unfinished task").isEmpty();
    }

    @Test
    void resultTooLargeEvenCompressedIsSentAsAnErrorAndTheTaskCompletes() throws Exception {
        QueueFixture queues = new QueueFixture(sqs, 30, 3);
        start(QueueFixture.settings(queues, 1, 4096, Duration.ofSeconds(5), 3),
                task -> document(task.taskId(), task.runId(), 400));

        String taskId = queues.sendTask("run-big", 1);

        ReceivedResult received = awaitResults(queues, 1).get(0);
        assertThat(received.result().getTaskId()).isEqualTo(taskId);
        assertThat(received.result().getStatus()).isEqualTo("error");
        assertThat(received.result().getErrorCode()).isEqualTo("RESULT_TOO_LARGE");
        assertThat(received.result().getErrorMessage()).contains("400 programs").contains("at most 4096 bytes");
        assertThat(received.attributes()).containsEntry("host", "WS-SLOW");
        await().atMost(WAIT).until(() -> queues.tasksOnQueue() == 0);
    }

    /** Makes every delete fail, as if the agent died between sending the result and deleting the task. */
    private static final class FailDeletes implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof DeleteMessageRequest) {
                throw SdkClientException.create("simulated crash before delete");
            }
        }
    }
}

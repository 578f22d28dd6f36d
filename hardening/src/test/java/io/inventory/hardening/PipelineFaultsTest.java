package io.inventory.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inventory.hardening.FaultProxy.Fault;
import io.inventory.proto.RunResponse;
import io.inventory.proto.TaskAssignment;
import io.inventory.queue.QueueMessageCodec;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The pipeline under faults, each scenario on a fresh pipeline. After each, the promise is checked as a user would
 * see it: every accepted task has exactly one result object, every host's payload.json holds its newest inventory,
 * and the dead-letter queues hold only the poison messages that were sent on purpose.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PipelineFaultsTest {

    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @Test
    void s3ErrorsAndResetConnectionsLoseAndDuplicateNothing() throws Exception {
        try (PipelineRig rig = new PipelineRig(10, 5, Duration.ofSeconds(30), Duration.ofSeconds(4))) {
            AtomicInteger puts = new AtomicInteger();
            rig.s3Faults()
                    .inject(Fault.status(503, "SlowDown"), 15,
                            request -> isPut(request) && puts.incrementAndGet() % 4 == 0)
                    .inject(Fault.status(500, "InternalError"), 15, request -> puts.get() % 5 == 0)
                    .inject(Fault.status(409, "ConditionalRequestConflict"), 10, request -> isPut(request)
                            && puts.get() % 6 == 0)
                    .inject(Fault.resetBeforeForwarding(), 10, request -> isPut(request) && puts.get() % 7 == 0)
                    .inject(Fault.resetAfterForwarding(), 10, request -> isPut(request) && puts.get() % 9 == 0);
            rig.startWriter(2).startAgents(2);

            Set<String> accepted = accepted(rig.run("s3-faults", 200));

            awaitStored(rig, accepted);
            assertThat(rig.s3Faults().injectedTotal()).as("faults injected %s", rig.s3Faults().injected())
                    .isGreaterThanOrEqualTo(30);
            rig.assertEveryTaskStoredOnceAndEveryHostNewest(accepted);
            assertThat(rig.drainDeadLetters(rig.resultQueue().deadLetterUrl())).isEmpty();
            assertThat(rig.drainDeadLetters(rig.taskQueue().deadLetterUrl())).isEmpty();
        }
    }

    /**
     * An agent killed after sending a result and before deleting its task: the delete never reaches SQS, the task
     * reappears after its visibility timeout, and another agent collects it again. The proxy drops every
     * DeleteMessage while the "kill" lasts, which is exactly what a dead process leaves behind.
     */
    @Test
    void anAgentKilledBetweenSendingAndDeletingCausesARedeliveryButNoDuplicate() throws Exception {
        try (PipelineRig rig = new PipelineRig(5, 10, Duration.ofSeconds(3), Duration.ofSeconds(10))) {
            AtomicBoolean killing = new AtomicBoolean(true);
            rig.sqsFaults().inject(Fault.resetBeforeForwarding(), Integer.MAX_VALUE,
                    request -> killing.get() && request.sqsAction().equals("AmazonSQS.DeleteMessage"));
            rig.startWriter(2).startAgents(2);

            Set<String> accepted = accepted(rig.run("killed-agent", 40));
            await().atMost(PATIENCE).until(() -> rig.storedTaskIds().size() >= 10);
            killing.set(false);

            awaitStored(rig, accepted);
            long redelivered = rig.collections().values().stream().filter(count -> count > 1).count();
            assertThat(redelivered).as("tasks collected more than once").isPositive();
            rig.assertEveryTaskStoredOnceAndEveryHostNewest(accepted);
            assertThat(rig.drainDeadLetters(rig.resultQueue().deadLetterUrl())).isEmpty();
            assertThat(rig.drainDeadLetters(rig.taskQueue().deadLetterUrl())).isEmpty();
        }
    }

    @Test
    void aWriterFailingHalfOfEachBatchRetriesOnlyThatHalf() throws Exception {
        try (PipelineRig rig = new PipelineRig(10, 10, Duration.ofSeconds(30), Duration.ofSeconds(3))) {
            AtomicBoolean failing = new AtomicBoolean(true);
            Pattern halfTheHosts = Pattern.compile(".*/hosts/host-00[0-4]/payload\\.json.*");
            rig.s3Faults().inject(Fault.status(500, "InternalError"), Integer.MAX_VALUE,
                    request -> failing.get() && isPut(request) && halfTheHosts.matcher(request.target()).matches());
            rig.startAgents(2).startWriter(2);

            Set<String> accepted = accepted(rig.run("half-batch", 60));
            await().atMost(PATIENCE).until(() -> rig.writer().stats().reportedFailures() >= 6);
            failing.set(false);

            awaitStored(rig, accepted);
            assertThat(rig.writer().stats().reportedFailures()).as("messages the writer reported as failed")
                    .isLessThan(rig.writer().stats().receivedMessages());
            rig.assertEveryTaskStoredOnceAndEveryHostNewest(accepted);
            assertThat(rig.drainDeadLetters(rig.resultQueue().deadLetterUrl())).isEmpty();
        }
    }

    @Test
    void poisonInEveryQueueEndsInItsDeadLetterQueueAndNothingElseDoes() throws Exception {
        try (PipelineRig rig = new PipelineRig(5, 2, Duration.ofSeconds(2), Duration.ofSeconds(2))) {
            List<String> poisonTasks = List.of("not json at all", "{\"task_id\":\"x; rm -rf /\",\"run_id\":\"r\"}",
                    "{\"run_id\":\"p\",\"task_id\":\"p-L1\",\"sections\":[\"os\",\"$(shutdown -h now)\"]}",
                    "{\"run_id\":\"p\",\"task_id\":\"p-L2\",\"line\":1e9999999}");
            List<String> poisonResults = List.of("garbage", "{\"task_id\":\"../../etc/passwd\",\"status\":\"ok\"}",
                    "{\"inventory\":{\"os\":{\"ubr\":\"1e9999999\"}}}");
            for (String body : poisonTasks) {
                rig.sqs().sendMessage(b -> b.queueUrl(rig.taskQueue().url()).messageBody(body));
            }
            for (String body : poisonResults) {
                rig.sqs().sendMessage(b -> b.queueUrl(rig.resultQueue().url()).messageBody(body));
            }
            rig.sqs().sendMessage(b -> b.queueUrl(rig.resultQueue().url()).messageBody("%%%not base64")
                    .messageAttributes(Map.of(QueueMessageCodec.CONTENT_ENCODING, MessageAttributeValue.builder()
                            .dataType("String").stringValue(QueueMessageCodec.GZIP_BASE64).build())));
            rig.startWriter(2).startAgents(2);

            Set<String> accepted = accepted(rig.run("with-poison", 30));

            awaitStored(rig, accepted);
            await().atMost(PATIENCE).until(rig::drained);
            rig.assertEveryTaskStoredOnceAndEveryHostNewest(accepted);
            assertThat(rig.drainDeadLetters(rig.taskQueue().deadLetterUrl()))
                    .containsExactlyInAnyOrderElementsOf(poisonTasks);
            assertThat(rig.drainDeadLetters(rig.resultQueue().deadLetterUrl()))
                    .containsExactlyInAnyOrderElementsOf(List.of(poisonResults.get(0), poisonResults.get(1),
                            poisonResults.get(2), "%%%not base64"));
            assertThat(rig.collections().keySet()).as("tasks any collector saw").isEqualTo(accepted);
        }
    }

    /**
     * ElasticMQ keeps its queues in memory, so a restart loses every message it held, as deleting and recreating a
     * real queue would. The honest recovery is the client's: retrying the Run with the same run id queues the same
     * task ids again, agents reconnect on their own, and the writer's idempotent puts make the re-done work
     * harmless. Each task still ends with exactly one result object.
     */
    @Test
    void anSqsRestartWithTasksInFlightIsRecoveredByRetryingTheRunWithTheSameId() throws Exception {
        try (PipelineRig rig = new PipelineRig(10, 5, Duration.ofSeconds(10), Duration.ofSeconds(10))) {
            // Slowed sends keep tasks in flight at the restart however fast the machine is.
            AtomicBoolean slow = new AtomicBoolean(true);
            rig.sqsFaults().inject(Fault.delay(Duration.ofMillis(200)), Integer.MAX_VALUE,
                    request -> slow.get() && request.sqsAction().equals("AmazonSQS.SendMessage"));
            rig.startWriter(2).startAgents(2);
            Set<String> accepted = accepted(rig.run("restart", 150));
            await().atMost(PATIENCE).until(() -> rig.storedTaskIds().size() >= 20);

            rig.restartSqs();
            slow.set(false);
            int storedAtRestart = rig.storedTaskIds().size();
            RunResponse retried = rig.run("restart", 150);

            assertThat(accepted(retried)).as("task ids of the retried run").isEqualTo(accepted);
            awaitStored(rig, accepted);
            assertThat(storedAtRestart).as("results stored before the restart").isLessThan(accepted.size());
            rig.assertEveryTaskStoredOnceAndEveryHostNewest(accepted);
            assertThat(rig.drainDeadLetters(rig.resultQueue().deadLetterUrl())).isEmpty();
            assertThat(rig.drainDeadLetters(rig.taskQueue().deadLetterUrl())).isEmpty();
        }
    }

    private static boolean isPut(FaultProxy.Request request) {
        return request.method().equals("PUT");
    }

    private static Set<String> accepted(RunResponse response) {
        Set<String> ids = new HashSet<>();
        for (TaskAssignment task : response.getTasksList()) {
            assertThat(task.getQueued()).as("task %s queued", task.getTaskId()).isTrue();
            ids.add(task.getTaskId());
        }
        return ids;
    }

    private static void awaitStored(PipelineRig rig, Set<String> accepted) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(() -> new HashSet<>(rig.storedTaskIds()).containsAll(accepted) && rig.drained());
    }
}

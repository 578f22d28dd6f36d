package io.inventory.agent.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.inventory.agent.config.AgentConfig;
import io.inventory.agent.config.ConfigException;
import io.inventory.agent.health.HealthProbe;
import io.inventory.proto.HostInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.testing.SqsEmulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class PollAgentTest {

    private static SqsEmulator sqs;

    @TempDir
    Path home;

    @BeforeAll
    static void startEmulator() {
        sqs = SqsEmulator.start();
    }

    @AfterAll
    static void stopEmulator() {
        sqs.close();
    }

    private Map<String, String> environment(QueueFixture queues, int healthPort) {
        Map<String, String> env = new HashMap<>();
        env.put("TASK_QUEUE_NAME", queues.name + "_tasks");
        env.put("RESULT_QUEUE_NAME", queues.name + "_results");
        env.put("AWS_ENDPOINT_URL", sqs.endpoint().toString());
        env.put("AWS_REGION", SqsEmulator.REGION.id());
        env.put("POLL_WAIT_SECONDS", "1");
        env.put("STOP_TIMEOUT_SECONDS", "5");
        env.put("HEALTH_PORT", Integer.toString(healthPort));
        env.put("COMPUTERNAME", "WS-ENV");
        return env;
    }

    @Test
    void agentResolvesQueueNamesFromTheEnvironmentAndServesHealthUntilStopped() throws Exception {
        QueueFixture queues = new QueueFixture(sqs, 30, 3);
        Map<String, String> env = environment(queues, QueueFixture.freePort());
        AgentConfig config = AgentConfig.of(Map.of(), env, home);
        PollAgent agent = PollAgent.start(config, task -> InventoryDocument.newBuilder().setStatus("ok")
                .setHost(HostInfo.newBuilder().setName("WS-AGENT")).setTaskId(task.taskId()).setRunId(task.runId())
                .build(), env, Clock.systemUTC(), "test");
        try (HealthProbe probe = new HealthProbe(agent.healthPort())) {
            assertThat(agent.settings().taskQueueUrl()).endsWith("/" + queues.name + "_tasks");

            String taskId = queues.sendTask("run-agent", 3);
            List<QueueFixture.ReceivedResult> results = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                results.addAll(queues.takeResults());
                return !results.isEmpty();
            });
            assertThat(results.get(0).result().getTaskId()).isEqualTo(taskId);
            assertThat(results.get(0).result().getHost()).isEqualTo("WS-AGENT");
            assertThat(probe.status("")).isEqualTo(ServingStatus.SERVING);

            agent.stop();
            assertThat(probe.status("")).as("the endpoint is closed after a stop").isNull();
        } finally {
            agent.stop();
        }
    }

    @Test
    void messageLimitAboveTheResultQueuesOwnMaximumIsLoweredToIt() {
        QueueFixture queues = new QueueFixture(sqs, 30, 3);
        // ElasticMQ does not report MaximumMessageSize; real SQS does, and this client adds what SQS would say.
        try (SqsClient client = SqsClient.builder().endpointOverride(sqs.endpoint()).region(SqsEmulator.REGION)
                .credentialsProvider(SqsEmulator.CREDENTIALS)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ReportsMaximumMessageSize(65536)))
                .build()) {

            int lowered = PollAgent.fitToQueue(client, queues.results, 262144);
            int kept = PollAgent.fitToQueue(client, queues.results, 4096);

            assertThat(lowered).isEqualTo(65536);
            assertThat(kept).isEqualTo(4096);
        }
    }

    @Test
    void missingQueueFailsAtStartWithOneClearMessage() {
        QueueFixture queues = new QueueFixture(sqs, 30, 3);
        Map<String, String> env = new HashMap<>(environment(queues, 0));
        env.put("RESULT_QUEUE_NAME", "no_such_results");
        AgentConfig config = AgentConfig.of(Map.of(), env, home);

        assertThatThrownBy(() -> PollAgent.start(config, task -> InventoryDocument.getDefaultInstance(), env,
                Clock.systemUTC(), "test"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("queue 'no_such_results' does not exist");
    }

    @Test
    void hostNameFallsBackToComputerName() {
        assertThat(PollAgent.hostName(Map.of("COMPUTERNAME", "WS-42"))).isEqualTo("WS-42");
        assertThat(PollAgent.hostName(Map.of())).isNotBlank();
    }

    /** Adds the MaximumMessageSize attribute to queue attribute responses, as SQS reports it. */
    private static final class ReportsMaximumMessageSize implements ExecutionInterceptor {
        private final int bytes;

        ReportsMaximumMessageSize(int bytes) {
            this.bytes = bytes;
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if (context.response() instanceof GetQueueAttributesResponse response) {
                Map<QueueAttributeName, String> values = new HashMap<>(response.attributes());
                values.put(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, Integer.toString(bytes));
                return response.toBuilder().attributes(values).build();
            }
            return context.response();
        }
    }
}

package io.inventory.agent.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.inventory.agent.health.HealthEndpoint;
import io.inventory.agent.health.HealthProbe;
import io.inventory.proto.HostInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.testing.SqsEmulator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

class QueueOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void pollerBacksOffThroughAnOutageReportsNotServingAndRecoversOnTheSamePort() throws Exception {
        SqsEmulator first = SqsEmulator.start();
        int port = first.port();
        QueueFixture queues = new QueueFixture(first, 30, 3);
        PollSettings settings = QueueFixture.settings(queues, 1, 262144, Duration.ofSeconds(5), 2);
        SqsClient client = first.newClient();
        TaskPoller poller = null;
        SqsEmulator second = null;
        try (HealthEndpoint health = HealthEndpoint.start(QueueFixture.freePort(), 2);
             HealthProbe probe = new HealthProbe(health.port())) {
            poller = new TaskPoller(client, settings, task -> InventoryDocument.newBuilder().setStatus("ok")
                    .setHost(HostInfo.newBuilder().setName("WS-OUTAGE")).setTaskId(task.taskId())
                    .setRunId(task.runId()).build(), health, Clock.systemUTC(), "test");
            poller.start();
            await().atMost(WAIT).until(() -> probe.status("") == ServingStatus.SERVING);

            first.close();
            await("NOT_SERVING during the outage").atMost(WAIT)
                    .until(() -> probe.status("") == ServingStatus.NOT_SERVING);

            second = SqsEmulator.start(port);
            QueueFixture recreated = new QueueFixture(second, queues);
            String taskId = recreated.sendTask("run-outage", 1);

            List<InventoryResult> results = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                recreated.takeResults().forEach(received -> results.add(received.result()));
                return !results.isEmpty();
            });
            assertThat(results).extracting(InventoryResult::getTaskId).containsExactly(taskId);
            await("SERVING after recovery").atMost(WAIT).until(() -> probe.status("") == ServingStatus.SERVING);
        } finally {
            if (poller != null) {
                poller.stop();
            }
            client.close();
            if (second != null) {
                second.close();
            }
        }
    }
}

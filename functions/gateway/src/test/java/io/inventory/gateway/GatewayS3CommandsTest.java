package io.inventory.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import io.inventory.proto.TaskAssignment;
import io.inventory.testing.S3Emulator;
import io.inventory.testing.SqsEmulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class GatewayS3CommandsTest {

    private static final String BUCKET = "inventory-commands";

    private static SqsEmulator sqs;
    private static S3Emulator s3;
    private static String queueUrl;
    private static GatewayHandler gateway;

    @BeforeAll
    static void start() {
        sqs = SqsEmulator.start();
        s3 = S3Emulator.start();
        s3.createBucket(BUCKET);
        queueUrl = sqs.createQueue("tasks", 600);
        GatewaySettings defaults = GatewaySettings.forQueue(queueUrl);
        GatewaySettings smallFiles = new GatewaySettings(queueUrl, defaults.maxTasksPerRun(),
                defaults.maxMessageBytes(), 4096, defaults.sendConcurrency(), defaults.maxSendAttempts(),
                defaults.backoffBase(), defaults.backoffCap(), defaults.defaultRunBudget());
        gateway = new GatewayHandler(sqs.client(), s3.client(), smallFiles);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        s3.close();
        sqs.close();
    }

    @Test
    void commandsAreReadFromTheS3LocationAndQueued() {
        put("commands/weekly.txt", "# weekly\ninventory\ninventory programs\n");

        RunResponse response = gateway.run(RunRequest.newBuilder()
                .setCommandsUri("s3://" + BUCKET + "/commands/weekly.txt").setRunId("run-s3").build(),
                Duration.ofSeconds(30));

        assertThat(response.getOk()).isTrue();
        assertThat(response.getTasksList()).extracting(TaskAssignment::getTaskId)
                .containsExactly("run-s3-L2", "run-s3-L3");
        assertThat(QueuedTasks.drain(sqs.client(), queueUrl, 2).taskIds()).containsExactly("run-s3-L2", "run-s3-L3");
    }

    @Test
    void aMissingObjectIsCommandsNotFound() {
        RunResponse response = run("s3://" + BUCKET + "/commands/absent.txt");

        assertThat(response.getErrorCode()).isEqualTo("COMMANDS_NOT_FOUND");
        assertThat(response.getError()).contains("commands/absent.txt");
    }

    @Test
    void aMissingBucketIsCommandsNotFound() {
        RunResponse response = run("s3://no-such-bucket/commands/weekly.txt");

        assertThat(response.getErrorCode()).isEqualTo("COMMANDS_NOT_FOUND");
    }

    @Test
    void anObjectOverTheSizeLimitIsRefusedAsTooLarge() {
        put("commands/huge.txt", "inventory\n".repeat(1000));

        RunResponse response = run("s3://" + BUCKET + "/commands/huge.txt");

        assertThat(response.getErrorCode()).isEqualTo("COMMANDS_TOO_LARGE");
        assertThat(response.getError()).contains("10000 bytes").contains("4096");
    }

    @Test
    void aLocationThatIsNotAnS3UriIsAnInvalidRequest() {
        RunResponse response = run("https://example.com/commands.txt");

        assertThat(response.getErrorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(response.getError()).contains("s3://bucket/key");
    }

    @Test
    void inlineCommandsAndAnS3LocationTogetherAreAnInvalidRequest() {
        RunResponse response = gateway.run(RunRequest.newBuilder().setCommands("inventory\n")
                .setCommandsUri("s3://" + BUCKET + "/commands/weekly.txt").build(), Duration.ofSeconds(30));

        assertThat(response.getErrorCode()).isEqualTo("INVALID_REQUEST");
    }

    private static RunResponse run(String uri) {
        return gateway.run(RunRequest.newBuilder().setCommandsUri(uri).setRunId("run-s3").build(),
                Duration.ofSeconds(30));
    }

    private static void put(String key, String content) {
        s3.client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content));
    }
}

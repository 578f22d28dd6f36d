package io.inventory.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inventory.proto.AgentGatewayGrpc;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import io.inventory.proto.TaskAssignment;
import io.inventory.testing.SqsEmulator;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run over a real socket, with the gateway in-process and the task queue in ElasticMQ. */
class ProxyRunTest {

    @TempDir
    static Path temp;

    private static SqsEmulator sqs;
    private static String queueUrl;
    private static Path root;
    private static ProxyFixture proxy;

    @BeforeAll
    static void start() throws IOException {
        sqs = SqsEmulator.start();
        queueUrl = sqs.createQueue("inventory_tasks", 600);
        root = Files.createDirectories(temp.resolve("workspace"));
        Files.writeString(root.resolve("commands.txt"), "# weekly\ninventory\ninventory os\n");
        proxy = ProxyFixture.start("--gateway-mode", "in_process", "--task-queue-url", queueUrl,
                "--sqs-endpoint", sqs.endpoint().toString(), "--commands-root", root.toString(), "--run-rate", "0");
    }

    @AfterAll
    static void stop() {
        proxy.close();
        sqs.close();
    }

    @Test
    void aCommandsFileInsideTheRootIsQueuedLikeTheOriginalProxyDid() {
        RunResponse response = proxy.stub().run(RunRequest.newBuilder()
                .setCommandsFile(root.resolve("commands.txt").toString()).setRunId("run-file").build());

        assertThat(response.getOk()).isTrue();
        assertThat(response.getAccepted()).isEqualTo(2);
        assertThat(response.getError()).isEmpty();
        assertThat(response.getTasksList()).extracting(TaskAssignment::getTaskId)
                .containsExactly("run-file-L2", "run-file-L3");
        assertThat(QueueContents.taskIds(sqs.client(), queueUrl, 2))
                .containsExactlyInAnyOrder("run-file-L2", "run-file-L3");
    }

    @Test
    void aRelativePathIsResolvedInsideTheRoot() {
        RunResponse response = proxy.stub().run(RunRequest.newBuilder().setCommandsFile("commands.txt")
                .setRunId("run-relative").build());

        assertThat(response.getAccepted()).isEqualTo(2);
        QueueContents.taskIds(sqs.client(), queueUrl, 2);
    }

    @Test
    void inlineCommandsWithoutRunIdGetARunIdFromTheProxy() {
        RunResponse response = proxy.stub().run(RunRequest.newBuilder().setCommands("inventory programs\n").build());

        assertThat(response.getOk()).isTrue();
        assertThat(response.getRunId()).startsWith("run-");
        assertThat(QueueContents.taskIds(sqs.client(), queueUrl, 1)).containsExactly(response.getRunId() + "-L1");
    }

    @Test
    void mixedLinesAnswerOkStatusWithOkFalseAndTheRejectedLines() {
        RunResponse response = proxy.stub().run(RunRequest.newBuilder()
                .setCommands("inventory\nshutdown -r\n").setRunId("run-mixed").build());

        assertThat(response.getOk()).isFalse();
        assertThat(response.getAccepted()).isEqualTo(1);
        assertThat(response.getErrorCode()).isEqualTo("LINES_REJECTED");
        assertThat(response.getRejectedList()).singleElement().satisfies(r -> {
            assertThat(r.getLine()).isEqualTo(2);
            assertThat(r.getText()).isEqualTo("shutdown -r");
        });
        assertThat(QueueContents.taskIds(sqs.client(), queueUrl, 1)).containsExactly("run-mixed-L1");
    }

    @Test
    void onlyInvalidLinesAreInvalidArgumentWithTheRejectedLinesInTheDetails() {
        StatusRuntimeException error = runExpectingError(RunRequest.newBuilder()
                .setCommands("inventory bios\nformat c:\n").setRunId("run-invalid").build());

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        RunResponse details = StatusDetails.runResponse(error);
        assertThat(details.getErrorCode()).isEqualTo("INVALID_COMMANDS");
        assertThat(details.getRejectedList()).extracting(r -> r.getLine()).containsExactly(1, 2);
    }

    @Test
    void aDotDotEscapeIsPermissionDenied() {
        StatusRuntimeException error = runExpectingError(RunRequest.newBuilder()
                .setCommandsFile(root + "/../outside.txt").build());

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(StatusDetails.runResponse(error).getErrorCode()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void anAbsolutePathOutsideTheRootIsPermissionDeniedEvenWhenTheFileExists() throws IOException {
        Path outside = Files.writeString(temp.resolve("outside.txt"), "inventory\n");

        StatusRuntimeException error = runExpectingError(RunRequest.newBuilder()
                .setCommandsFile(outside.toString()).build());

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void aSymlinkLeadingOutOfTheRootIsPermissionDenied() throws IOException {
        Path secret = Files.writeString(temp.resolve("secret.txt"), "inventory\n");
        Files.createSymbolicLink(root.resolve("link.txt"), secret);

        StatusRuntimeException error = runExpectingError(RunRequest.newBuilder().setCommandsFile("link.txt").build());

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(error.getStatus().getDescription()).contains("symbolic link");
    }

    @Test
    void aMissingFileIsNotFound() {
        StatusRuntimeException error = runExpectingError(RunRequest.newBuilder()
                .setCommandsFile("absent.txt").build());

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aFileOverTheByteLimitIsInvalidArgumentFromItsSizeAlone() throws IOException {
        // A sparse 3 GB file: reading it would take long and fill memory, its size alone refuses it.
        try (RandomAccessFile huge = new RandomAccessFile(root.resolve("huge.txt").toFile(), "rw")) {
            huge.setLength(3L * 1024 * 1024 * 1024);
        }

        StatusRuntimeException error = runExpectingError(RunRequest.newBuilder().setCommandsFile("huge.txt").build());

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(StatusDetails.runResponse(error).getErrorCode()).isEqualTo("COMMANDS_TOO_LARGE");
        assertThat(error.getStatus().getDescription()).contains("3221225472 bytes");
    }

    @Test
    void aBinaryFileIsInvalidArgumentAndItsDetailsStillFitATrailer() throws IOException {
        byte[] noise = new byte[512 * 1024];
        new Random(7).nextBytes(noise);
        Files.write(root.resolve("binary.bin"), noise);

        StatusRuntimeException error = runExpectingError(RunRequest.newBuilder().setCommandsFile("binary.bin")
                .setRunId("run-binary").build());

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        RunResponse details = StatusDetails.runResponse(error);
        assertThat(details.getErrorCode()).isEqualTo("INVALID_COMMANDS");
        assertThat(details.getRejectedList()).isNotEmpty();
        assertThat(details.getRejected(details.getRejectedCount() - 1).getReason()).contains("omitted");
    }

    @Test
    void anExpiredDeadlineIsDeadlineExceeded() {
        AgentGatewayGrpc.AgentGatewayBlockingStub stub = AgentGatewayGrpc.newBlockingStub(proxy.channel())
                .withDeadlineAfter(1, TimeUnit.NANOSECONDS);

        StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub.run(RunRequest.newBuilder().setCommands("inventory\n").build()));

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }

    @Test
    void anUnreachableQueueIsUnavailableWithTheRunResponseInTheDetails() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        try (ProxyFixture down = ProxyFixture.start("--gateway-mode", "in_process", "--task-queue-url",
                "http://127.0.0.1:" + deadPort + "/000000000000/inventory_tasks",
                "--sqs-endpoint", "http://127.0.0.1:" + deadPort)) {

            StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class, () -> down.stub()
                    .run(RunRequest.newBuilder().setCommands("inventory\n").setRunId("run-down").build()));

            assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            RunResponse details = StatusDetails.runResponse(error);
            assertThat(details.getErrorCode()).isEqualTo("QUEUE_UNAVAILABLE");
            assertThat(details.getTasksList()).extracting(TaskAssignment::getQueued).containsExactly(false);
        }
    }

    @Test
    void aCommandsFileAndInlineCommandsTogetherAreInvalidArgument() {
        StatusRuntimeException error = runExpectingError(RunRequest.newBuilder().setCommandsFile("commands.txt")
                .setCommands("inventory\n").build());

        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    private static StatusRuntimeException runExpectingError(RunRequest request) {
        StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
                () -> proxy.stub().run(request));
        assertThat(error).as("Run should fail for %s", request).isNotNull();
        return error;
    }
}

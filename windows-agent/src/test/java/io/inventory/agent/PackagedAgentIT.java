package io.inventory.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inventory.codec.ProtoJson;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.InventoryTask;
import io.inventory.queue.QueueMessageCodec;
import io.inventory.testing.SqsEmulator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Checks the artifacts {@code package} builds: the exe, the runnable jar and the administrators' zip. Runs in the
 * verify phase (failsafe), after package; a missing artifact fails the test instead of skipping it.
 */
class PackagedAgentIT {

    private static final Path TARGET = Path.of(System.getProperty("agent.build.directory", "target"));
    private static final Path EXE = TARGET.resolve("inventory-agent.exe");
    private static final Path JAR = TARGET.resolve("inventory-agent.jar");
    private static final short I386 = 0x14c;
    private static final short CONSOLE_SUBSYSTEM = 3;

    @TempDir
    Path dir;

    private static Path fixture() throws Exception {
        return Path.of(PackagedAgentIT.class.getResource("/agent/workstation-small.reg").toURI());
    }

    @Test
    void exeIsAWindowsConsoleExecutableThatWrapsTheAgentJar() throws Exception {
        assertThat(EXE).as("built by package").isRegularFile();
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(EXE)).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(new String(new byte[] {header.get(0), header.get(1)}, StandardCharsets.US_ASCII)).isEqualTo("MZ");
        int pe = header.getInt(0x3c);
        assertThat(header.getInt(pe)).as("PE signature").isEqualTo(0x00004550);
        assertThat(header.getShort(pe + 4)).as("machine").isEqualTo(I386);
        int optionalHeader = pe + 24;
        assertThat(header.getShort(optionalHeader)).as("PE32 magic").isEqualTo((short) 0x10b);
        assertThat(header.getShort(optionalHeader + 68)).as("subsystem").isEqualTo(CONSOLE_SUBSYSTEM);
        try (ZipFile wrapped = new ZipFile(EXE.toFile())) {
            assertThat(wrapped.getEntry("io/inventory/agent/cli/AgentCli.class")).isNotNull();
        }
    }

    @Test
    void adminZipHoldsTheExeTheJarTheSampleConfigurationAndTheGuide() throws Exception {
        Path zip = TARGET.resolve("inventory-agent-" + AgentVersion.current() + "-windows.zip");
        assertThat(zip).isRegularFile();

        List<String> names = new ArrayList<>();
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            Collections.list(archive.entries()).forEach(entry -> names.add(entry.getName()));
        }

        assertThat(names).contains("inventory-agent/inventory-agent.exe", "inventory-agent/inventory-agent.jar",
                "inventory-agent/agent.properties", "inventory-agent/INSTALL.md", "inventory-agent/commands.txt");
    }

    @Test
    void runnableJarCollectsFromARegExportInItsOwnProcess() throws Exception {
        Process version = java("version").start();
        assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("inventory-agent " + AgentVersion.current());

        Process collect = java("collect", "--registry-file", fixture().toString(), "--sections", "os",
                "--log-dir", dir.resolve("logs").toString()).start();
        String json = new String(collect.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(collect.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(collect.exitValue()).isZero();
        InventoryDocument document = ProtoJson.parse(json, InventoryDocument.newBuilder());
        assertThat(document.getOs().getProductName()).isEqualTo("Windows 11 Pro");
        assertThat(Files.readString(dir.resolve("logs/inventory-agent.log"))).contains("Collected inventory");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "Process.destroy() is TerminateProcess on Windows, which "
            + "runs no shutdown hooks; the Windows CI workflow stops the agent as a service instead")
    void pollProcessAnswersTasksAndStopsCleanlyOnSigterm() throws Exception {
        try (SqsEmulator sqs = SqsEmulator.start()) {
            String tasks = sqs.createQueue("it_tasks", 30);
            String results = sqs.createQueue("it_results", 30);
            ProcessBuilder builder = java("poll", "--endpoint-url", sqs.endpoint().toString(),
                    "--task-queue-name", "it_tasks", "--result-queue-name", "it_results", "--wait-seconds", "1",
                    "--health-port", "0", "--registry-file", fixture().toString(),
                    "--log-dir", dir.resolve("logs").toString());
            builder.environment().put("AWS_REGION", SqsEmulator.REGION.id());
            builder.environment().put("AWS_ACCESS_KEY_ID", "test");
            builder.environment().put("AWS_SECRET_ACCESS_KEY", "test");
            Process agent = builder.start();
            try {
                InventoryTask task = InventoryTask.newBuilder().setTaskId("run-it-L1").setRunId("run-it").setLine(1)
                        .build();
                sqs.client().sendMessage(b -> b.queueUrl(tasks).messageBody(ProtoJson.toJson(task)));

                List<Message> received = new ArrayList<>();
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    received.addAll(sqs.client().receiveMessage(b -> b.queueUrl(results).waitTimeSeconds(1)
                            .messageAttributeNames("All")).messages());
                    return !received.isEmpty();
                });
                MessageAttributeValue encoding = received.get(0).messageAttributes()
                        .get(QueueMessageCodec.CONTENT_ENCODING);
                InventoryResult result = QueueMessageCodec.decode(received.get(0).body(),
                        encoding == null ? null : encoding.stringValue(), InventoryResult.newBuilder());
                assertThat(result.getTaskId()).isEqualTo("run-it-L1");
                assertThat(result.getInventory().getHost().getName()).isEqualTo("WS-FIXTURE-01");
            } finally {
                agent.destroy();
            }

            assertThat(agent.waitFor(120, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(agent.exitValue()).as("128 + SIGTERM").isEqualTo(143);
            assertThat(Files.readString(dir.resolve("logs/inventory-agent.log")))
                    .contains("Stop requested (signal)").contains("Stopped");
            assertThat(sqs.visibleMessages(tasks)).isZero();
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "Process.destroy() is TerminateProcess on Windows, which "
            + "runs no shutdown hooks; the Windows CI workflow stops the agent as a service instead")
    void standaloneRunStoppedBySigtermFinishesQueuedTasksAndReportsTheRest() throws Exception {
        Path commands = dir.resolve("commands.txt");
        Files.writeString(commands, "inventory\n".repeat(5000));
        Path payload = dir.resolve("data/payload.json");
        Path out = dir.resolve("summary.txt");
        Process run = java("run", "--commands", commands.toString(), "--workers", "1",
                "--registry-file", Path.of("..", "samples", "workstation.reg").toAbsolutePath().toString(),
                "--out", payload.toString(), "--log-dir", dir.resolve("logs").toString())
                .redirectOutput(out.toFile()).start();
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(payload));

        run.destroy();

        assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(run.exitValue()).as("128 + SIGTERM").isEqualTo(143);
        String summary = Files.readString(out);
        assertThat(summary).contains("5000 tasks accepted").contains("(stopped early)")
                .containsPattern("not started [1-9][0-9]*").contains("payload.json written");
        InventoryDocument document = ProtoJson.parse(Files.readString(payload), InventoryDocument.newBuilder());
        assertThat(document.getHost().getName()).isEqualTo("WS-ACCT-042");
    }

    private ProcessBuilder java(String... args) throws IOException {
        assertThat(JAR).as("built by package").isRegularFile();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(Files.createTempFile(dir, "stderr", ".txt").toFile());
    }
}

package io.inventory.agent.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inventory.agent.collect.RegistryTaskCollector;
import io.inventory.agent.collect.TaskCollector;
import io.inventory.agent.collect.TaskRequest;
import io.inventory.commands.CommandsParser;
import io.inventory.commands.ParsedCommands;
import io.inventory.proto.HostInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.SectionError;
import io.inventory.registry.Registries;
import io.inventory.registry.Registry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneRunTest {

    private static final String RUN = "run-test";
    private static final Instant BASE = Instant.parse("2026-12-03T10:00:00Z");

    @TempDir
    Path dir;

    private final ExecutorService background = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutDown() {
        background.shutdownNow();
    }

    /** A document whose collection time follows its line, so "newest" is the highest line. */
    private static InventoryDocument good(TaskRequest task) {
        int line = Integer.parseInt(task.taskId().substring(task.taskId().lastIndexOf('L') + 1));
        return InventoryDocument.newBuilder().setSchema("inventory/v1").setStatus("ok")
                .setHost(HostInfo.newBuilder().setName("WS-1"))
                .setCollectedAt(BASE.plusSeconds(line).toString())
                .setTaskId(task.taskId()).setRunId(task.runId()).build();
    }

    private static ParsedCommands commands(String text) throws Exception {
        return new CommandsParser().parse(text);
    }

    private StandaloneRun run(TaskCollector collector, int workers) {
        return new StandaloneRun(collector, new PayloadFile(dir.resolve("payload.json")), workers,
                Clock.systemUTC(), "test");
    }

    @Test
    void severalTasksLeaveTheNewestDocumentInThePayload() throws Exception {
        StandaloneRun run = run(StandaloneRunTest::good, 3);

        RunReport report = run.execute(RUN, commands("inventory\ninventory os\ninventory\ninventory programs\n"));

        assertThat(report.outcomes()).extracting(TaskOutcome::status).containsOnly("ok").hasSize(4);
        assertThat(report.payloadWritten()).isTrue();
        assertThat(new PayloadFile(dir.resolve("payload.json")).read().orElseThrow().getTaskId())
                .isEqualTo(RUN + "-L4");
    }

    @Test
    void osOnlyRunAfterFullRunRefreshesTheOsAndKeepsThePrograms() throws Exception {
        Instant monthAgo = Instant.parse("2026-11-03T10:00:00Z");
        Instant today = Instant.parse("2026-12-03T10:00:00Z");
        run(sampleCollector(monthAgo), 1).execute("run-full", commands("inventory\n"));
        int programs = new PayloadFile(dir.resolve("payload.json")).read().orElseThrow().getProgramsCount();

        RunReport report = run(sampleCollector(today), 1).execute("run-os", commands("inventory os\n"));

        assertThat(report.allTasksSucceeded()).isTrue();
        InventoryDocument payload = new PayloadFile(dir.resolve("payload.json")).read().orElseThrow();
        assertThat(programs).as("the sample has programs").isPositive();
        assertThat(payload.getProgramsCount()).as("programs kept from the full run").isEqualTo(programs);
        assertThat(payload.getOs().getProductName()).isEqualTo("Windows 11 Pro");
        assertThat(payload.getSectionCollectedAtMap()).containsEntry("programs", monthAgo.toString())
                .containsEntry("os", today.toString()).containsEntry("host", today.toString());
        assertThat(payload.getCollectedAt()).isEqualTo(today.toString());
        assertThat(payload.getRunId()).isEqualTo("run-os");
        assertThat(payload.getStatus()).isEqualTo("ok");
    }

    @Test
    void fullAndOsOnlyTasksInOneRunKeepTheProgramsWhicheverFinishesFirst() throws Exception {
        StandaloneRun run = run(sampleCollector(null), 2);

        RunReport report = run.execute(RUN, commands("inventory\ninventory os\n"));

        assertThat(report.allTasksSucceeded()).isTrue();
        InventoryDocument payload = new PayloadFile(dir.resolve("payload.json")).read().orElseThrow();
        assertThat(payload.getProgramsCount()).isPositive();
        assertThat(payload.getSectionCollectedAtMap()).containsOnlyKeys("os", "host", "programs");
    }

    /** The real collector over the sample export; a fixed clock when {@code at} is given. */
    private static TaskCollector sampleCollector(Instant at) throws Exception {
        Registry sample = Registries.open(List.of(Path.of("..", "samples", "workstation.reg")));
        Clock clock = at == null ? Clock.systemUTC() : Clock.fixed(at, ZoneOffset.UTC);
        return new RegistryTaskCollector(sample, clock, "test");
    }

    @Test
    void failedCollectionKeepsTheGoodInventoryAndRecordsTheLastError() throws Exception {
        TaskCollector collector = task -> {
            if (task.taskId().endsWith("-L2")) {
                throw new IllegalStateException("registry hive locked");
            }
            return good(task);
        };
        StandaloneRun run = run(collector, 1);

        RunReport report = run.execute(RUN, commands("inventory\ninventory\n"));

        assertThat(report.outcomes()).extracting(TaskOutcome::status).containsExactly("ok", "error");
        assertThat(report.outcomes().get(1).detail()).contains("COLLECTION_FAILED").contains("registry hive locked");
        InventoryDocument payload = new PayloadFile(dir.resolve("payload.json")).read().orElseThrow();
        assertThat(payload.getTaskId()).isEqualTo(RUN + "-L1");
        assertThat(payload.getStatus()).isEqualTo("ok");
        assertThat(payload.getLastError().getCode()).isEqualTo("COLLECTION_FAILED");
        assertThat(payload.getLastError().getTaskId()).isEqualTo(RUN + "-L2");
    }

    @Test
    void errorDocumentIsWrittenWhenThereIsNoGoodInventoryYet() throws Exception {
        TaskCollector collector = task -> InventoryDocument.newBuilder().setStatus("error")
                .setCollectedAt(BASE.toString()).setTaskId(task.taskId()).setRunId(task.runId())
                .addErrors(SectionError.newBuilder().setSection("host").setCode("REGISTRY_UNAVAILABLE")).build();
        StandaloneRun run = run(collector, 2);

        RunReport report = run.execute(RUN, commands("inventory\n"));

        assertThat(report.allTasksSucceeded()).isFalse();
        assertThat(report.outcomes().get(0).detail()).isEqualTo("host: REGISTRY_UNAVAILABLE");
        assertThat(new PayloadFile(dir.resolve("payload.json")).read().orElseThrow().getStatus()).isEqualTo("error");
    }

    @Test
    void stopFinishesEveryQueuedTaskAndReportsTheRestAsNotStarted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        Set<String> finished = ConcurrentHashMap.newKeySet();
        TaskCollector slow = task -> {
            started.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.add(task.taskId());
            return good(task);
        };
        StandaloneRun run = run(slow, 2);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            lines.append("inventory\n");
        }
        Future<RunReport> execution = background.submit(() -> run.execute(RUN, commands(lines.toString())));
        await().atMost(Duration.ofSeconds(30)).until(() -> started.get() == 2);

        run.stop();
        release.countDown();
        RunReport report = execution.get(60, TimeUnit.SECONDS);

        List<TaskOutcome> done = report.outcomes().stream().filter(TaskOutcome::succeeded).toList();
        List<TaskOutcome> notStarted = report.outcomes().stream()
                .filter(outcome -> outcome.status().equals(TaskOutcome.NOT_STARTED)).toList();
        assertThat(report.stopped()).isTrue();
        assertThat(done).as("every queued task finished").hasSizeGreaterThanOrEqualTo(2);
        assertThat(done).extracting(TaskOutcome::taskId).containsExactlyInAnyOrderElementsOf(finished);
        assertThat(done.size() + notStarted.size()).isEqualTo(20);
        assertThat(notStarted).isNotEmpty();
        String newest = done.get(done.size() - 1).taskId();
        assertThat(new PayloadFile(dir.resolve("payload.json")).read().orElseThrow().getTaskId()).isEqualTo(newest);
    }
}

package io.inventory.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inventory.local.EventSourceMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many tasks drained by four agents and four concurrent writers: nothing lost or duplicated in S3. The size comes
 * from {@code hardening.load.tasks} and {@code hardening.load.hosts} (1,000 over 50 in {@code verify}; the full run
 * is {@code -Dhardening.load.tasks=10000 -Dhardening.load.hosts=200}). Figures go to
 * {@code target/reliability/load-<tasks>.txt} for RELIABILITY.md; they are reported, never asserted.
 */
class PipelineLoadTest {

    private static final int AGENTS = 4;
    private static final int WRITERS = 4;
    private static final int LINES_PER_RUN = 1000;

    @Test
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void everyTaskOfALoadRunIsStoredExactlyOnceAndEveryHostHoldsItsNewest() throws Exception {
        int tasks = Integer.getInteger("hardening.load.tasks", 1000);
        int hosts = Integer.getInteger("hardening.load.hosts", 50);
        try (PipelineRig rig = new PipelineRig(hosts, 5, Duration.ofSeconds(60), Duration.ofSeconds(30))) {
            rig.startWriter(WRITERS).startAgents(AGENTS);
            long start = System.nanoTime();

            Set<String> accepted = new HashSet<>();
            for (int run = 0; run * LINES_PER_RUN < tasks; run++) {
                int lines = Math.min(LINES_PER_RUN, tasks - run * LINES_PER_RUN);
                rig.run("load-" + run, lines).getTasksList().forEach(task -> accepted.add(task.getTaskId()));
            }
            long queued = System.nanoTime();
            await().atMost(Duration.ofMinutes(35)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> rig.storedTaskIds().size() >= tasks && rig.drained());
            long drained = System.nanoTime();

            assertThat(accepted).hasSize(tasks);
            rig.assertEveryTaskStoredOnceAndEveryHostNewest(accepted);
            assertThat(rig.drainDeadLetters(rig.taskQueue().deadLetterUrl())).isEmpty();
            assertThat(rig.drainDeadLetters(rig.resultQueue().deadLetterUrl())).isEmpty();
            assertThat(hostPayloads(rig)).isEqualTo(Math.min(tasks, hosts));
            report(rig, tasks, hosts, queued - start, drained - start);
        }
    }

    private static long hostPayloads(PipelineRig rig) {
        return rig.objects().stream().filter(object -> object.key().startsWith("hosts/")
                && object.key().endsWith("/payload.json")).count();
    }

    private static void report(PipelineRig rig, int tasks, int hosts, long queuedNanos, long drainedNanos)
            throws IOException {
        EventSourceMapping.Stats writer = rig.writer().stats();
        long redelivered = rig.collections().values().stream().filter(count -> count > 1).count();
        long collections = rig.collections().values().stream().mapToLong(Long::longValue).sum();
        double seconds = drainedNanos / 1e9;
        String text = String.format(Locale.ROOT, String.join(System.lineSeparator(),
                        "tasks=%d hosts=%d agents=%d writers=%d",
                        "queued_by_gateway_s=%.1f drained_s=%.1f throughput_tasks_per_s=%.1f",
                        "collections=%d tasks_collected_more_than_once=%d",
                        "writer_invocations=%d writer_failed_invocations=%d writer_received=%d writer_deleted=%d "
                                + "writer_reported_item_failures=%d",
                        "result_objects=%d dead_letters=0", ""),
                tasks, hosts, AGENTS, WRITERS, queuedNanos / 1e9, seconds, tasks / seconds, collections, redelivered,
                writer.invocations(), writer.failedInvocations(), writer.receivedMessages(), writer.deletedMessages(),
                writer.reportedFailures(), rig.storedTaskIds().size());
        Path file = Path.of("target", "reliability", "load-" + tasks + ".txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}

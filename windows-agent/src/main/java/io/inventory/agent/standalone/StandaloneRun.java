package io.inventory.agent.standalone;

import io.inventory.agent.collect.FailedCollections;
import io.inventory.agent.collect.TaskCollector;
import io.inventory.agent.collect.TaskRequest;
import io.inventory.commands.InventoryCommand;
import io.inventory.commands.ParsedCommands;
import io.inventory.commands.RunIds;
import io.inventory.document.InventoryMerge;
import io.inventory.inventory.InventoryCollector;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The single-process pipeline: a dispatcher feeds the accepted commands into a bounded task queue, worker threads
 * collect each task, and one writer thread merges each result into payload.json section by section, with the
 * rules the cloud writer uses ({@link InventoryMerge}): {@code inventory os} refreshes the OS and keeps the programs.
 *
 * <p>{@link #stop()} (Ctrl+C) stops the dispatcher; every task it had already queued is still collected and
 * written, and the rest are reported as not started. A failed collection never replaces a good inventory in
 * payload.json: the good one stays, with {@code last_error} saying what failed, as the cloud writer does.
 */
public final class StandaloneRun {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneRun.class);
    private static final long DISPATCH_POLL_MILLIS = 100;

    private final TaskCollector collector;
    private final PayloadFile payload;
    private final int workers;
    private final Clock clock;
    private final String agentVersion;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    public StandaloneRun(TaskCollector collector, PayloadFile payload, int workers, Clock clock,
                         String agentVersion) {
        if (workers < 1) {
            throw new IllegalArgumentException("at least one worker is needed, got " + workers);
        }
        this.collector = collector;
        this.payload = payload;
        this.workers = workers;
        this.clock = clock;
        this.agentVersion = agentVersion;
    }

    /** Asks the run to stop dispatching; tasks already queued still finish. Safe from any thread. */
    public void stop() {
        stopRequested.countDown();
    }

    /** Runs every accepted command and returns when all dispatched tasks are collected and written. */
    public RunReport execute(String runId, ParsedCommands commands) throws InterruptedException {
        BlockingQueue<Item> tasks = new ArrayBlockingQueue<>(workers * 2);
        BlockingQueue<Item> results = new ArrayBlockingQueue<>(workers * 2);
        Map<Integer, TaskOutcome> outcomes = new ConcurrentHashMap<>();
        Writer writer = new Writer(results, outcomes);
        LOG.info("Run {} started: {} tasks, {} rejected lines, {} workers, output {}", runId,
                commands.commands().size(), commands.rejections().size(), workers, payload.path());
        commands.rejections().forEach(rejection ->
                LOG.warn("run={} rejected line {}: {} [{}]", runId, rejection.line(), rejection.reason(),
                        rejection.text()));

        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i <= workers; i++) {
            threads.add(start("worker-" + i, () -> work(tasks, results)));
        }
        Thread writerThread = start("writer", writer);

        List<InventoryCommand> dispatched = dispatch(runId, commands.commands(), tasks);
        for (int i = 0; i < workers; i++) {
            tasks.put(Item.END);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        results.put(Item.END);
        writerThread.join();

        List<TaskOutcome> all = new ArrayList<>(outcomes.values());
        for (InventoryCommand command : commands.commands().subList(dispatched.size(), commands.commands().size())) {
            all.add(new TaskOutcome(command.line(), RunIds.taskId(runId, command.line()), TaskOutcome.NOT_STARTED,
                    "the run was stopped before this task was queued"));
        }
        all.sort(Comparator.comparingInt(TaskOutcome::line));
        boolean stopped = dispatched.size() < commands.commands().size();
        RunReport report = new RunReport(runId, commands.rejections(), all, payload.path(), writer.wrote,
                Optional.ofNullable(writer.failure), stopped);
        report.summaryLines().forEach(line -> LOG.info("{}", line));
        return report;
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.start();
        return thread;
    }

    private List<InventoryCommand> dispatch(String runId, List<InventoryCommand> commands, BlockingQueue<Item> tasks)
            throws InterruptedException {
        List<InventoryCommand> dispatched = new ArrayList<>();
        for (InventoryCommand command : commands) {
            TaskRequest request = new TaskRequest(runId, RunIds.taskId(runId, command.line()), command.sections());
            Item item = new Item(command.line(), request, null);
            boolean queued = false;
            while (!queued && stopRequested.getCount() > 0) {
                queued = tasks.offer(item, DISPATCH_POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            if (!queued) {
                LOG.warn("run={} stop requested: {} of {} tasks were queued, the rest are not started", runId,
                        dispatched.size(), commands.size());
                break;
            }
            dispatched.add(command);
            LOG.debug("run={} task={} queued", runId, request.taskId());
        }
        return dispatched;
    }

    private void work(BlockingQueue<Item> tasks, BlockingQueue<Item> results) {
        try {
            for (Item item = tasks.take(); item != Item.END; item = tasks.take()) {
                results.put(new Item(item.line(), item.task(), collect(item.task())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private InventoryDocument collect(TaskRequest task) {
        MDC.put("run", task.runId());
        MDC.put("task", task.taskId());
        try {
            LOG.debug("run={} task={} collecting {}", task.runId(), task.taskId(),
                    task.sections().isEmpty() ? "all sections" : task.sections());
            return collector.collect(task);
        } catch (RuntimeException | LinkageError e) {
            LOG.error("run={} task={} collection failed", task.runId(), task.taskId(), e);
            return FailedCollections.document(task, e, clock.instant(), agentVersion);
        } finally {
            MDC.clear();
        }
    }

    /** A queued task, and once collected, its document; {@link #END} tells a consumer to finish. */
    private record Item(int line, TaskRequest task, InventoryDocument document) {
        static final Item END = new Item(0, null, null);
    }

    /** The one thread that writes payload.json, so writes never interleave and "newest" has one meaning. */
    private final class Writer implements Runnable {

        private final BlockingQueue<Item> results;
        private final Map<Integer, TaskOutcome> outcomes;
        private InventoryDocument current;
        private volatile boolean wrote;
        private volatile String failure;

        Writer(BlockingQueue<Item> results, Map<Integer, TaskOutcome> outcomes) {
            this.results = results;
            this.outcomes = outcomes;
        }

        @Override
        public void run() {
            // A failed collection written by an older version is no inventory; a merged error-only document is.
            current = payload.read().filter(document -> !FailedCollections.nothingCollected(document) || !InventoryMerge.hasInventory(document))
                    .orElse(null);
            try {
                for (Item item = results.take(); item != Item.END; item = results.take()) {
                    record(item);
                    write(InventoryMerge.apply(current, resultOf(item)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void record(Item item) {
            InventoryDocument document = item.document();
            String status = document.getStatus().isEmpty() ? InventoryCollector.STATUS_ERROR : document.getStatus();
            outcomes.put(item.line(), new TaskOutcome(item.line(), item.task().taskId(), status,
                    FailedCollections.describeErrors(document)));
            if (status.equals(InventoryCollector.STATUS_OK)) {
                LOG.info("run={} task={} ok", item.task().runId(), item.task().taskId());
            } else {
                LOG.warn("run={} task={} {}: {}", item.task().runId(), item.task().taskId(), status,
                        FailedCollections.describeErrors(document));
            }
        }

        /** A collected document as the result an agent would send for it, so the cloud writer's merge applies. */
        private InventoryResult resultOf(Item item) {
            InventoryDocument document = item.document();
            InventoryResult.Builder result = InventoryResult.newBuilder()
                    .setTaskId(item.task().taskId())
                    .setRunId(item.task().runId())
                    .setHost(document.getHost().getName())
                    .setCollectedAt(document.getCollectedAt())
                    .setAgent(document.getAgent());
            if (!FailedCollections.nothingCollected(document)) {
                return result.setStatus(InventoryMerge.STATUS_OK).setInventory(document).build();
            }
            String code = document.getErrorsCount() > 0 ? document.getErrors(0).getCode() : "";
            return result.setStatus(InventoryMerge.STATUS_ERROR)
                    .setErrorCode(code)
                    .setErrorMessage(FailedCollections.describeErrors(document))
                    .build();
        }

        private void write(InventoryDocument next) {
            if (next == current) {
                return;
            }

            // The merged document stays current even if this write fails, so the next write still includes it.
            current = next;
            try {
                payload.write(next);
                wrote = true;
            } catch (IOException e) {
                failure = e.toString();
                LOG.error("run={} task={} cannot write {}", next.getRunId(), next.getTaskId(), payload.path(), e);
            }
        }
    }
}

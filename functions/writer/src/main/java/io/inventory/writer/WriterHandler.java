package io.inventory.writer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The writer Lambda: takes batches from the result queue and stores them in S3 (see {@link ResultBatchWriter}).
 * It answers with a partial batch response, so only the messages that failed are retried and the rest of the
 * batch is deleted from the queue; the event source mapping needs {@code ReportBatchItemFailures}.
 */
public final class WriterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(WriterHandler.class);

    private final ResultBatchWriter writer;

    /** The constructor Lambda calls: production S3 client and settings from the environment, built once. */
    public WriterHandler() {
        this(ProductionS3.CLIENT, ProductionS3.SETTINGS);
    }

    /** A writer on the given client, for tests and local runs; the client stays owned by the caller. */
    public WriterHandler(S3Client s3, WriterSettings settings) {
        this(s3, settings, Clock.systemUTC());
    }

    WriterHandler(S3Client s3, WriterSettings settings, Clock clock) {
        ConditionalObjectStore store = new ConditionalObjectStore(s3, settings.bucket());
        this.writer = new ResultBatchWriter(store, settings, hostWriters(settings.threads()), clock);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSMessage> messages = event == null || event.getRecords() == null ? List.of() : event.getRecords();

        List<String> failed;
        try {
            failed = writer.write(messages);
        } catch (RuntimeException e) {
            // A defect, not a bad message: retry the whole batch rather than lose any of it.
            LOG.error("batch of {} messages failed unexpectedly; all will be retried", messages.size(), e);
            failed = messages.stream().map(SQSMessage::getMessageId).toList();
        }

        if (failed.isEmpty()) {
            LOG.info("batch of {} results stored", messages.size());
        } else {
            LOG.warn("batch of {} results: {} stored, {} to retry: {}", messages.size(),
                    messages.size() - failed.size(), failed.size(), failed);
        }
        return new SQSBatchResponse(failed.stream().map(BatchItemFailure::new).toList());
    }

    /** Threads that write the hosts of one batch in parallel; idle ones exit, so a frozen sandbox holds none. */
    private static ExecutorService hostWriters(int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "host-writer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}

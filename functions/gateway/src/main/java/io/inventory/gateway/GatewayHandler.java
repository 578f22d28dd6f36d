package io.inventory.gateway;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.inventory.codec.InvalidMessageException;
import io.inventory.codec.ProtoJson;
import io.inventory.commands.RunIds;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The gateway Lambda: takes an {@code agent.RunRequest} as proto3 JSON, queues one {@code InventoryTask} per
 * accepted {@code inventory} line, and answers an {@code agent.RunResponse} as JSON. Failures are answers with an
 * {@code error_code}, never exceptions, so a caller sees exactly which tasks are on the queue.
 *
 * <p>Configured by the environment: {@code TASK_QUEUE_URL} (required), {@code MAX_TASKS_PER_RUN} and
 * {@code MAX_MESSAGE_BYTES}. The gRPC proxy uses the same class in-process through {@link #run}.
 */
public final class GatewayHandler implements RequestStreamHandler, AutoCloseable {

    /** Lambda caps a synchronous request at 6 MB; anything beyond this is not a request we can use. */
    static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

    /** Time kept back from the Lambda deadline to write the response after the last retry. */
    private static final Duration RESPONSE_MARGIN = Duration.ofMillis(1500);

    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final Gateway gateway;
    private final GatewaySettings settings;
    private final ExecutorService executor;
    private final Runnable closeClients;
    private final Clock clock;

    /** The constructor Lambda calls once per execution environment: the clients are built here, not per call. */
    public GatewayHandler() {
        this(GatewaySettings.fromEnvironment(System.getenv()));
    }

    private GatewayHandler(GatewaySettings settings) {
        this(SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(), settings, true);
    }

    /** A gateway over the caller's clients, which the caller keeps and closes. */
    public GatewayHandler(SqsClient sqs, S3Client s3, GatewaySettings settings) {
        this(sqs, s3, settings, false);
    }

    private GatewayHandler(SqsClient sqs, S3Client s3, GatewaySettings settings, boolean ownsClients) {
        this.settings = settings;
        this.clock = Clock.systemUTC();
        this.executor = Executors.newFixedThreadPool(settings.sendConcurrency(), senderThreads());
        this.gateway = new Gateway(settings, s3, new TaskQueueSender(sqs, executor, settings), clock);
        this.closeClients = ownsClients ? () -> {
            sqs.close();
            s3.close();
        } : () -> { };
        LOG.debug("gateway ready queue={} maxTasksPerRun={}", settings.taskQueueUrl(), settings.maxTasksPerRun());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Duration budget = context == null ? settings.defaultRunBudget()
                : Duration.ofMillis(context.getRemainingTimeInMillis()).minus(RESPONSE_MARGIN);
        RunResponse response;
        byte[] body = input.readNBytes(MAX_REQUEST_BYTES + 1);
        if (body.length > MAX_REQUEST_BYTES) {
            response = Gateway.refused("", GatewayErrorCode.COMMANDS_TOO_LARGE, 0,
                    "the request is larger than " + MAX_REQUEST_BYTES + " bytes");
        } else {
            response = run(body, budget);
        }
        output.write(ProtoJson.toJson(response).getBytes(StandardCharsets.UTF_8));
        output.flush();
    }

    private RunResponse run(byte[] body, Duration budget) {
        RunRequest request;
        try {
            request = ProtoJson.parse(new String(body, StandardCharsets.UTF_8), RunRequest.newBuilder());
        } catch (InvalidMessageException e) {
            LOG.info("request refused: {}", e.getMessage());
            return Gateway.refused("", GatewayErrorCode.INVALID_REQUEST, 0,
                    "the request is not a RunRequest in JSON: " + e.getMessage());
        }
        return run(request, budget);
    }

    /**
     * Runs one request and answers with what happened; never throws for bad input or an unreachable queue.
     *
     * @param budget how long the run may take; retries stop in time to answer within it
     */
    public RunResponse run(RunRequest request, Duration budget) {
        String runId = request.getRunId().isEmpty() ? RunIds.newRunId(clock) : request.getRunId();
        if (!RunIds.isValidRunId(runId)) {
            return Gateway.refused("", GatewayErrorCode.INVALID_RUN_ID, 0, "run_id '" + shorten(runId)
                    + "' is not valid: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (request.getSource().length() > Gateway.MAX_SOURCE_LENGTH) {
            return Gateway.refused(runId, GatewayErrorCode.INVALID_REQUEST, 0,
                    "source is " + request.getSource().length() + " characters; the limit is "
                            + Gateway.MAX_SOURCE_LENGTH);
        }

        MDC.put("run_id", runId);
        try {
            return gateway.run(request, runId, Instant.now(clock).plus(budget));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("run={} interrupted while queueing", runId);
            return Gateway.refused(runId, GatewayErrorCode.INTERNAL, 0, "interrupted while queueing");
        } catch (RuntimeException e) {
            LOG.error("run={} failed", runId, e);
            return Gateway.refused(runId, GatewayErrorCode.INTERNAL, 0,
                    "internal error; the gateway log has the details for run " + runId);
        } finally {
            MDC.remove("run_id");
        }
    }

    /** Stops the sender threads and closes the clients this handler built; clients passed in stay open. */
    @Override
    public void close() {
        executor.shutdown();
        closeClients.run();
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 79) + "…";
    }

    private static ThreadFactory senderThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "task-sender-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

package io.inventory.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of the Lambda Runtime API (version 2018-06-01) a Java runtime client uses on demand: the long-poll
 * for the next invocation, the response and error posts, and the init error post. One invocation is in flight
 * at a time, as in one Lambda execution environment.
 */
final class RuntimeApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeApiServer.class);

    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final String NEXT = PREFIX + "invocation/next";
    private static final String INVOCATION = PREFIX + "invocation/";
    private static final String INIT_ERROR = PREFIX + "init/error";
    private static final String ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type";

    private final HttpServer server;
    private final ExecutorService executor;
    private final String functionArn;
    private final BlockingQueue<PendingInvocation> waiting = new LinkedBlockingQueue<>();
    private final Map<String, PendingInvocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private volatile boolean closed;

    private RuntimeApiServer(HttpServer server, ExecutorService executor, String functionArn) {
        this.server = server;
        this.executor = executor;
        this.functionArn = functionArn;
    }

    static RuntimeApiServer start(String functionArn) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);

        // The runtime keeps one request parked on /next while it may post a response on another connection.
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "runtime-api");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);

        RuntimeApiServer api = new RuntimeApiServer(server, executor, functionArn);
        server.createContext(PREFIX, api::handle);
        server.start();
        return api;
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        InetSocketAddress address = server.getAddress();
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Queues an event for the runtime's next poll. */
    Invocation submit(String event, Duration functionTimeout) {
        PendingInvocation invocation = new PendingInvocation(
                UUID.randomUUID().toString(),
                event.getBytes(StandardCharsets.UTF_8),
                functionTimeout,
                System.nanoTime(),
                new CompletableFuture<>(),
                new CompletableFuture<>());
        waiting.add(invocation);
        return new Invocation(invocation.handedOut, invocation.answer);
    }

    /** Completes with the runtime's error document when it reports that the function failed to initialise. */
    CompletableFuture<String> initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();

            if ("GET".equals(method) && NEXT.equals(path)) {
                next(exchange);
            } else if ("POST".equals(method) && INIT_ERROR.equals(path)) {
                String body = body(exchange);
                LOG.debug("runtime reported an init error: {}", body);
                initError.complete(body);
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if ("POST".equals(method) && path.startsWith(INVOCATION)) {
                answer(exchange, path.substring(INVOCATION.length()));
            } else {
                reply(exchange, 404, "{\"errorType\":\"NotFound\",\"errorMessage\":\"" + path + "\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        PendingInvocation invocation = null;
        try {
            // Poll in slices so that a closed server releases the runtime's parked request.
            while (invocation == null && !closed) {
                invocation = waiting.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (invocation == null) {
            reply(exchange, 500, "{\"errorType\":\"Runtime.Shutdown\",\"errorMessage\":\"shutting down\"}");
            return;
        }

        inFlight.put(invocation.requestId, invocation);
        long deadline = System.currentTimeMillis() + invocation.functionTimeout.toMillis();
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", traceId());
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, invocation.event.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(invocation.event);
        }
        invocation.handedOut.complete(null);
        LOG.debug("handed invocation {} to the runtime", invocation.requestId);
    }

    private void answer(HttpExchange exchange, String rest) throws IOException {
        int slash = rest.indexOf('/');
        String requestId = slash < 0 ? rest : rest.substring(0, slash);
        String kind = slash < 0 ? "" : rest.substring(slash + 1);
        String body = body(exchange);

        PendingInvocation invocation = inFlight.remove(requestId);
        if (invocation == null || !("response".equals(kind) || "error".equals(kind))) {
            reply(exchange, 400, "{\"errorType\":\"InvalidRequestID\",\"errorMessage\":\"" + requestId + "\"}");
            return;
        }

        String errorType = null;
        if ("error".equals(kind)) {
            String header = exchange.getRequestHeaders().getFirst(ERROR_TYPE_HEADER);
            errorType = header == null || header.isBlank() ? "Unhandled" : header;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - invocation.submittedNanos);
        invocation.answer.complete(new LambdaResponse(requestId, body, errorType, elapsed));
        reply(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static String body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String traceId() {
        String hex = UUID.randomUUID().toString().replace("-", "");
        long epochSeconds = System.currentTimeMillis() / 1000;
        return "Root=1-" + Long.toHexString(epochSeconds) + "-" + hex.substring(0, 24)
                + ";Parent=" + hex.substring(16) + ";Sampled=0";
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * One submitted event: {@code handedOut} completes when the runtime has taken it (its deadline starts then),
     * {@code answer} when the runtime has posted the result or the error.
     */
    record Invocation(CompletableFuture<Void> handedOut, CompletableFuture<LambdaResponse> answer) {
    }

    private record PendingInvocation(
            String requestId,
            byte[] event,
            Duration functionTimeout,
            long submittedNanos,
            CompletableFuture<Void> handedOut,
            CompletableFuture<LambdaResponse> answer) {
    }
}

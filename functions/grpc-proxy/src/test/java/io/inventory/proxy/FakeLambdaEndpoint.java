package io.inventory.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.inventory.gateway.GatewayHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Invoke API as a test serves it: {@code POST /2015-03-31/functions/{name}/invocations} runs the real
 * {@link GatewayHandler} on the payload, as the Lambda runtime would. It can also answer as a throttled service,
 * or hold an invocation until released, to exercise the proxy's error paths.
 */
final class FakeLambdaEndpoint implements AutoCloseable {

    enum Behaviour { RUN, THROTTLE, HOLD }

    /** One invocation as the endpoint saw it. */
    record Invocation(String functionName, String qualifier, String invocationType, String payload) {
    }

    private static final Pattern INVOKE_PATH = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");

    private final HttpServer server;
    private final GatewayHandler handler;
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch held = new CountDownLatch(1);
    private volatile Behaviour behaviour = Behaviour.RUN;

    FakeLambdaEndpoint(GatewayHandler handler) throws IOException {
        this.handler = handler;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void behave(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    List<Invocation> invocations() {
        return invocations;
    }

    /** Waits until a held invocation has arrived. */
    boolean awaitHeld() throws InterruptedException {
        return held.await(60, TimeUnit.SECONDS);
    }

    void releaseHeld() {
        release.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = INVOKE_PATH.matcher(exchange.getRequestURI().getPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                respond(exchange, 404, "{\"Type\":\"User\",\"message\":\"unknown path\"}", "ResourceNotFoundException");
                return;
            }
            String query = exchange.getRequestURI().getQuery();
            String qualifier = query != null && query.startsWith("Qualifier=") ? query.substring(10) : "";
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            String payload = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            invocations.add(new Invocation(path.group(1), qualifier, type, payload));

            if ("DryRun".equals(type)) {
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            switch (behaviour) {
                case THROTTLE -> respond(exchange, 429, "{\"Type\":\"User\",\"message\":\"Rate exceeded\"}",
                        "TooManyRequestsException");
                case HOLD -> {
                    held.countDown();
                    release.await(120, TimeUnit.SECONDS);
                    respond(exchange, 200, run(payload), null);
                }
                case RUN -> respond(exchange, 200, run(payload), null);
                default -> throw new IllegalStateException(behaviour.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String run(String payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, String body, String errorType)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (errorType != null) {
            exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
        } else {
            exchange.getResponseHeaders().add("X-Amz-Executed-Version", "$LATEST");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}

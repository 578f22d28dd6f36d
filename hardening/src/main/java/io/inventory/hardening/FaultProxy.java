package io.inventory.hardening;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback HTTP/1.1 proxy that sits in front of one emulator and injects faults into chosen requests: an error
 * status (500, 503 SlowDown, 409...), a connection reset before the request reaches the server, a reset after the
 * server has applied it (the response is lost), or a delay. Requests no rule picks are forwarded unchanged.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(s3.endpoint().getPort())) {
 *     proxy.inject(Fault.status(503, "SlowDown"), 5, request -> request.method().equals("PUT"));
 *     // point the client at proxy.endpoint()
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);

    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final int targetPort;
    private final ServerSocket server;
    private final ExecutorService connections;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
    private final AtomicLong forwarded = new AtomicLong();
    private volatile boolean closed;

    private FaultProxy(int targetPort, ServerSocket server) {
        this.targetPort = targetPort;
        this.server = server;
        AtomicInteger number = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fault-proxy-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts a proxy on a free loopback port that forwards to {@code 127.0.0.1:targetPort}. */
    public static FaultProxy start(int targetPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        FaultProxy proxy = new FaultProxy(targetPort, server);
        proxy.connections.execute(proxy::acceptLoop);
        return proxy;
    }

    /** The address clients use instead of the emulator's. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /**
     * Applies {@code fault} to the next {@code times} requests that match {@code when}. Rules are tried in the
     * order they were added; the first one that matches and has uses left applies.
     */
    public FaultProxy inject(Fault fault, int times, Predicate<Request> when) {
        rules.add(new Rule(fault, new AtomicInteger(times), when));
        return this;
    }

    /** Removes every rule: from now on all requests are forwarded unchanged. */
    public void clearFaults() {
        rules.clear();
    }

    /** Resets every open connection at once, as a crashed server or a broken network would. */
    public void resetOpenConnections() {
        for (Socket socket : open) {
            resetQuietly(socket);
        }
    }

    /** How many times each kind of fault was injected, by {@link Fault#name()}. */
    public Map<String, Integer> injected() {
        Map<String, Integer> counts = new TreeMap<>();
        injected.forEach((name, count) -> counts.put(name, count.get()));
        return counts;
    }

    /** Total faults injected so far. */
    public int injectedTotal() {
        return injected.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Requests forwarded to the server, including those whose response was then dropped. */
    public long forwarded() {
        return forwarded.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the listening socket failed: {}", e.toString());
        }
        resetOpenConnections();
        connections.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                connections.execute(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("fault proxy stopped accepting: {}", e.toString());
                }
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            while (!closed) {
                Message request = Message.read(fromClient, toClient, true, null);
                if (request == null) {
                    return;
                }

                Fault fault = pickFault(request.head());
                if (fault != null) {
                    injected.computeIfAbsent(fault.name(), k -> new AtomicInteger()).incrementAndGet();
                    LOG.debug("injecting {} into {} {}", fault.name(), request.head().method(),
                            request.head().target());
                }
                if (fault instanceof Fault.Delay delay) {
                    Thread.sleep(delay.duration().toMillis());
                } else if (fault instanceof Fault.Status status) {
                    toClient.write(status.response(request.head()));
                    toClient.flush();
                    return;
                } else if (fault instanceof Fault.ResetBeforeForwarding) {
                    resetQuietly(client);
                    return;
                }

                Message response = forward(request);
                if (response == null || fault instanceof Fault.ResetAfterForwarding) {
                    resetQuietly(client);
                    return;
                }
                toClient.write(response.bytes());
                toClient.flush();
                if (response.head().closes()) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.debug("connection ended: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(client);
        }
    }

    /**
     * Sends one request on a connection of its own and reads the response. A fresh connection per request means
     * a server that silently closed an idle connection never makes the proxy fail a request it did not choose to.
     */
    private Message forward(Message request) throws IOException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            open.add(upstream);
            upstream.getOutputStream().write(request.bytes());
            upstream.getOutputStream().flush();
            forwarded.incrementAndGet();
            return Message.read(upstream.getInputStream(), null, false, request.head());
        } finally {
            open.removeIf(Socket::isClosed);
        }
    }

    private Fault pickFault(Request request) {
        for (Rule rule : rules) {
            if (rule.when().test(request) && rule.remaining().getAndDecrement() > 0) {
                return rule.fault();
            }
        }
        return null;
    }

    private static void resetQuietly(Socket socket) {
        try {
            // Linger 0 makes close send a TCP reset instead of an orderly FIN.
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            LOG.trace("socket already gone: {}", e.toString());
        }
    }

    private record Rule(Fault fault, AtomicInteger remaining, Predicate<Request> when) {
    }

    /**
     * The head of one HTTP request or response: for a request the method and target, for a response the status
     * code (in {@code method}, with {@code target} empty); header names are lower case.
     */
    public record Request(String method, String target, Map<String, String> headers) {

        /** A header's value, or an empty string. */
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        /** The SQS JSON protocol's action, such as {@code AmazonSQS.DeleteMessage}; empty for S3. */
        public String sqsAction() {
            return header("x-amz-target");
        }

        boolean closes() {
            return header("connection").equalsIgnoreCase("close");
        }
    }

    /** What the proxy does to a request a rule picked. */
    public sealed interface Fault {

        /** A short name for counting, such as {@code status-503}. */
        String name();

        /** Answers with this status and an S3 or SQS style error body; the server never sees the request. */
        static Fault status(int status, String code) {
            return new Status(status, code);
        }

        /** Resets the connection after reading the request; the server never sees it. */
        static Fault resetBeforeForwarding() {
            return new ResetBeforeForwarding();
        }

        /** Forwards the request, lets the server apply it, then resets the connection instead of answering. */
        static Fault resetAfterForwarding() {
            return new ResetAfterForwarding();
        }

        /** Holds the request this long before forwarding it. */
        static Fault delay(Duration duration) {
            return new Delay(duration);
        }

        /** An error response. */
        record Status(int status, String code) implements Fault {

            @Override
            public String name() {
                return "status-" + status;
            }

            byte[] response(Request request) {
                boolean sqs = !request.sqsAction().isEmpty();
                String body = sqs
                        ? "{\"__type\":\"com.amazonaws.sqs#" + code + "\",\"message\":\"injected by FaultProxy\"}"
                        : "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                                + "</Code><Message>injected by FaultProxy</Message></Error>";
                byte[] content = body.getBytes(StandardCharsets.UTF_8);
                String head = "HTTP/1.1 " + status + " " + code + "\r\n"
                        + "Content-Type: " + (sqs ? "application/x-amz-json-1.0" : "application/xml") + "\r\n"
                        + (sqs ? "x-amzn-query-error: AWS.SimpleQueueService." + code + ";Receiver\r\n" : "")
                        + "Content-Length: " + content.length + "\r\n"
                        + "Connection: close\r\n\r\n";
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(content);
                return out.toByteArray();
            }
        }

        /** See {@link Fault#resetBeforeForwarding()}. */
        record ResetBeforeForwarding() implements Fault {
            @Override
            public String name() {
                return "reset-before";
            }
        }

        /** See {@link Fault#resetAfterForwarding()}. */
        record ResetAfterForwarding() implements Fault {
            @Override
            public String name() {
                return "reset-after";
            }
        }

        /** See {@link Fault#delay(Duration)}. */
        record Delay(Duration duration) implements Fault {
            @Override
            public String name() {
                return "delay";
            }
        }
    }

    /** One whole HTTP message as bytes, with its parsed head. */
    private record Message(Request head, byte[] bytes) {

        /**
         * Reads one message, or returns null at a clean end of stream. A request's {@code Expect: 100-continue}
         * is answered here and removed, so the server always receives whole requests.
         */
        static Message read(InputStream in, OutputStream continueTo, boolean isRequest, Request request)
                throws IOException {
            byte[] headBytes = readHead(in);
            if (headBytes == null) {
                return null;
            }
            String headText = new String(headBytes, StandardCharsets.ISO_8859_1);
            String[] lines = headText.split("\r\n");
            String[] start = lines[0].split(" ", 3);
            Map<String, String> headers = new TreeMap<>();
            StringBuilder rebuilt = new StringBuilder(lines[0]).append("\r\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                headers.put(name, value);
                if (!(isRequest && name.equals("expect"))) {
                    rebuilt.append(lines[i]).append("\r\n");
                }
            }
            rebuilt.append("\r\n");
            Request parsed = isRequest
                    ? new Request(start[0], start.length > 1 ? start[1] : "", headers)
                    : new Request(start.length > 1 ? start[1] : "", "", headers);

            if (isRequest && parsed.header("expect").equalsIgnoreCase("100-continue")) {
                continueTo.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                continueTo.flush();
            }
            if (!isRequest && parsed.method().startsWith("1")) {
                return read(in, null, false, request);
            }

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(rebuilt.toString().getBytes(StandardCharsets.ISO_8859_1));
            boolean noBody = !isRequest && (request.method().equals("HEAD") || parsed.method().equals("204")
                    || parsed.method().equals("304"));
            if (noBody) {
                return new Message(parsed, out.toByteArray());
            }
            if (parsed.header("transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked")) {
                copyChunked(in, out);
            } else if (!parsed.header("content-length").isEmpty()) {
                out.writeBytes(in.readNBytes(Integer.parseInt(parsed.header("content-length"))));
            } else if (!isRequest) {
                // No length: the body runs to the end of the connection.
                out.writeBytes(in.readAllBytes());
                headers.put("connection", "close");
            }
            return new Message(parsed, out.toByteArray());
        }

        private static byte[] readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0D0A0D0A) {
                int b;
                try {
                    b = in.read();
                } catch (SocketException e) {
                    return null;
                }
                if (b < 0) {
                    if (head.size() == 0) {
                        return null;
                    }
                    throw new IOException("connection closed inside a message head");
                }
                head.write(b);
                if (head.size() > MAX_HEAD_BYTES) {
                    throw new IOException("message head over " + MAX_HEAD_BYTES + " bytes");
                }
                last4 = (last4 << 8) | b;
            }
            byte[] bytes = head.toByteArray();
            return Arrays.copyOf(bytes, bytes.length - 4);
        }

        private static void copyChunked(InputStream in, ByteArrayOutputStream out) throws IOException {
            while (true) {
                String sizeLine = readLine(in);
                out.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in);
                        out.writeBytes((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    } while (!trailer.isEmpty());
                    return;
                }
                out.writeBytes(in.readNBytes(size));
                out.writeBytes(in.readNBytes(2));
            }
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int previous = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed inside a chunked body");
                }
                if (previous == '\r' && b == '\n') {
                    byte[] bytes = line.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
                previous = b;
            }
        }
    }
}

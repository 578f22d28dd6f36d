package io.inventory.writer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the S3 emulator that resets chosen connections, as a load balancer or a flaky network
 * does: either before the request reaches S3, or after S3 has applied it and before the client sees the answer.
 */
final class ResettingProxy implements AutoCloseable {

    enum When { BEFORE_REQUEST, AFTER_REQUEST }

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicInteger resetsDone = new AtomicInteger();
    private volatile String fragment;
    private volatile When when;
    private final AtomicInteger resetsLeft = new AtomicInteger();

    ResettingProxy(URI target) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = target.getPort();
        Thread acceptor = new Thread(this::acceptLoop, "resetting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Resets the connections of the next {@code times} requests whose request line contains {@code text}. */
    void reset(String text, When moment, int times) {
        fragment = text;
        when = moment;
        resetsLeft.set(times);
        resetsDone.set(0);
    }

    int resetsDone() {
        return resetsDone.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Connection connection = new Connection(client, upstream);
                start(connection::pumpRequests, "proxy-requests");
                start(connection::pumpResponses, "proxy-responses");
            } catch (IOException e) {
                // The proxy was closed, or one connection could not be opened; the client sees a failed connect.
            }
        }
    }

    private static void start(Runnable pump, String name) {
        Thread thread = new Thread(pump, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** One client connection and its upstream twin. */
    private final class Connection {

        private final Socket client;
        private final Socket upstream;
        private volatile boolean dropNextResponse;

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void pumpRequests() {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (matches(buffer, n) && resetsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                        if (when == When.BEFORE_REQUEST) {
                            resetClient();
                            return;
                        }
                        dropNextResponse = true;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // Either side closed; the other pump sees it too.
            } finally {
                closeQuietly();
            }
        }

        void pumpResponses() {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    boolean interim = new String(buffer, 0, Math.min(n, 12), StandardCharsets.ISO_8859_1)
                            .startsWith("HTTP/1.1 100");
                    if (dropNextResponse && !interim) {
                        resetClient();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // Either side closed; the other pump sees it too.
            } finally {
                closeQuietly();
            }
        }

        private boolean matches(byte[] buffer, int length) {
            String text = fragment;
            return text != null && new String(buffer, 0, length, StandardCharsets.ISO_8859_1).contains(text);
        }

        /** An RST rather than a FIN: with linger 0, close aborts the connection. */
        private void resetClient() throws IOException {
            resetsDone.incrementAndGet();
            client.setSoLinger(true, 0);
            closeQuietly();
        }

        private void closeQuietly() {
            try {
                client.close();
            } catch (IOException e) {
                // Already closed.
            }
            try {
                upstream.close();
            } catch (IOException e) {
                // Already closed.
            }
        }
    }
}

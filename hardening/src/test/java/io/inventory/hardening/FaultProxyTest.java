package io.inventory.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.inventory.hardening.FaultProxy.Fault;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault proxy against a real HTTP server on a loopback socket. */
class FaultProxyTest {

    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private FaultProxy proxy;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + new String(body, StandardCharsets.UTF_8));
            byte[] answer = ("echo " + body.length).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        proxy = FaultProxy.start(server.getAddress().getPort());
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        proxy.close();
        server.stop(0);
    }

    @Test
    void requestsNoRuleMatchesAreForwardedUnchangedOnOneConnection() throws Exception {
        HttpResponse<String> get = send(HttpRequest.newBuilder(uri("/a")).GET());
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/b")).PUT(HttpRequest.BodyPublishers.ofString(
                "hello")));

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(put.body()).isEqualTo("echo 5");
        assertThat(received).containsExactly("GET /a ", "PUT /b hello");
        assertThat(proxy.forwarded()).isEqualTo(2);
    }

    @Test
    void aChunkedBodyAndExpectContinueArriveWhole() throws Exception {
        byte[] body = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(body));

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/big")).expectContinue(true)
                .PUT(chunked));

        assertThat(response.body()).isEqualTo("echo 100000");
    }

    @Test
    void anInjectedStatusAnswersExactlyTheChosenNumberOfMatchingRequests() throws Exception {
        proxy.inject(Fault.status(503, "SlowDown"), 2, request -> request.method().equals("PUT"));

        int first = send(HttpRequest.newBuilder(uri("/p")).PUT(HttpRequest.BodyPublishers.ofString("1")))
                .statusCode();
        HttpResponse<String> second = send(HttpRequest.newBuilder(uri("/p")).PUT(
                HttpRequest.BodyPublishers.ofString("2")));
        int get = send(HttpRequest.newBuilder(uri("/g")).GET()).statusCode();
        int third = send(HttpRequest.newBuilder(uri("/p")).PUT(HttpRequest.BodyPublishers.ofString("3")))
                .statusCode();

        assertThat(List.of(first, second.statusCode(), get, third)).containsExactly(503, 503, 200, 200);
        assertThat(second.body()).contains("<Code>SlowDown</Code>");
        assertThat(received).containsExactly("GET /g ", "PUT /p 3");
        assertThat(proxy.injected()).containsEntry("status-503", 2);
    }

    @Test
    void aResetBeforeForwardingNeverReachesTheServer() {
        proxy.inject(Fault.resetBeforeForwarding(), 1, request -> true);

        assertThatThrownBy(() -> send(HttpRequest.newBuilder(uri("/lost")).PUT(
                HttpRequest.BodyPublishers.ofString("never")))).isInstanceOf(IOException.class);

        assertThat(received).isEmpty();
    }

    @Test
    void aResetAfterForwardingIsAppliedByTheServerButTheAnswerIsLost() {
        proxy.inject(Fault.resetAfterForwarding(), 1, request -> true);

        assertThatThrownBy(() -> send(HttpRequest.newBuilder(uri("/applied")).PUT(
                HttpRequest.BodyPublishers.ofString("done")))).isInstanceOf(IOException.class);

        assertThat(received).containsExactly("PUT /applied done");
    }

    @Test
    void aDelayedRequestIsStillForwarded() throws Exception {
        proxy.inject(Fault.delay(Duration.ofMillis(50)), 1, request -> true);

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/slow")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(proxy.injected()).containsEntry("delay", 1);
    }

    private URI uri(String path) {
        return proxy.endpoint().resolve(path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

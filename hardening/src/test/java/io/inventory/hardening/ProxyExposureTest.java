package io.inventory.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.inventory.proto.AgentGatewayGrpc;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import io.inventory.proxy.ProxyCommand;
import io.inventory.proxy.ProxyServer;
import io.inventory.testing.SqsEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * What the gRPC proxy exposes to a hostile caller: hostile commands-file paths never read a file outside the
 * commands root, and nothing sensitive (the token, a wrong token someone tried, commands-file lines that were not
 * rejected) reaches the logs with the proxy's code at DEBUG. TLS with a wrong certificate, the token check, the rate
 * limit and the request size limit have their own tests in the proxy module (ProxySecurityTest); they are not
 * repeated here.
 */
class ProxyExposureTest {

    private static final String TOKEN = "tok-Sup3rSecret-7f1c9a";
    private static final String WRONG_TOKEN = "tok-Guessed-0000-AAAA";
    private static final String CONFIDENTIAL_COMMENT = "# change ticket CONFIDENTIAL-4711 approved by j.doe";

    @TempDir
    static Path temp;

    private static SqsEmulator sqs;
    private static String queueUrl;
    private static Path root;
    private static ProxyServer proxy;
    private static ManagedChannel channel;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        sqs = SqsEmulator.start();
        queueUrl = sqs.createQueue("inventory_tasks", 600);
        root = Files.createDirectories(temp.resolve("root"));
        Files.writeString(root.resolve("weekly.txt"), CONFIDENTIAL_COMMENT + "\ninventory\ninventory os programs\n");
        Files.createDirectories(temp.resolve("outside"));
        Files.writeString(temp.resolve("outside/secret.txt"), "inventory\n");
        Files.writeString(temp.resolve("root-sibling.txt"), "inventory\n");
        Files.createSymbolicLink(root.resolve("link-out"), temp.resolve("outside"));
        Path tokenFile = Files.writeString(temp.resolve("token"), TOKEN + "\n");

        ProxyCommand options = new ProxyCommand();
        new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--port", "0",
                "--gateway-mode", "in_process", "--task-queue-url", queueUrl, "--sqs-endpoint",
                sqs.endpoint().toString(), "--commands-root", root.toString(), "--token-file", tokenFile.toString(),
                "--run-rate", "0", "--shutdown-grace-seconds", "2");
        proxy = ProxyServer.start(options);
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", proxy.port(), InsecureChannelCredentials.create())
                .build();
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
        proxy.close();
        sqs.close();
    }

    /**
     * The proxy's own code at DEBUG, everything else at the levels of the proxy's logback.xml (root INFO,
     * io.grpc.netty WARN). With grpc-netty's frame logger at DEBUG the authorization header is logged by gRPC
     * itself; the shipped configuration pins that logger at WARN, and RELIABILITY.md tells operators to keep it.
     */
    @BeforeEach
    void captureEverything() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logs.setContext(context);
        logs.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs);
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        context.getLogger("io.inventory").setLevel(Level.DEBUG);
        context.getLogger("io.grpc.netty").setLevel(Level.WARN);
    }

    @AfterEach
    void stopCapturing() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(logs);
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        context.getLogger("io.inventory").setLevel(null);
        context.getLogger("io.grpc.netty").setLevel(null);
    }

    static Stream<String> hostilePaths() {
        return Stream.of("../outside/secret.txt", "..\\outside\\secret.txt", "./../root-sibling.txt",
                "sub/../../outside/secret.txt", "%2e%2e/outside/secret.txt", "..%2foutside%2fsecret.txt",
                "link-out/secret.txt", "/etc/passwd", "/proc/self/environ", "~/.aws/credentials",
                "file:///etc/passwd", "//localhost/etc/passwd", "C:\\Windows\\win.ini", "weekly.txt\u0000.png",
                "\u0000", "….\u2215outside\u2215secret.txt",
                "../" + "../".repeat(50) + "etc/passwd",
                "\uFF0E\uFF0E/outside/secret.txt", "weekly.txt/../../outside/secret.txt");
    }

    @ParameterizedTest
    @MethodSource("hostilePaths")
    void aHostilePathNeverQueuesATaskFromOutsideTheRoot(String path) {
        int queuedBefore = sqs.visibleMessages(queueUrl);

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(TOKEN).run(RunRequest.newBuilder().setCommandsFile(path).build()));

        assertThat(refused).as("refusal of %s", path).isNotNull();
        assertThat(refused.getStatus().getCode()).as("status for %s", path).isIn(Set.of(
                Status.Code.PERMISSION_DENIED, Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT));
        assertThat(sqs.visibleMessages(queueUrl)).isEqualTo(queuedBefore);
    }

    static Stream<String> unusablePaths() {
        return Stream.of("a/".repeat(3000) + "commands.txt", "weekly.txt/inner.txt");
    }

    /**
     * A path the file system cannot use (too long, or going through a file as if it were a folder) is the
     * caller's mistake, like any other unusable path. Found here: CommandsRoot maps the FileSystemException of
     * ENAMETOOLONG and ENOTDIR to INTERNAL, which tells the caller the proxy broke.
     */
    @ParameterizedTest
    @MethodSource("unusablePaths")
    void aPathTheFileSystemCannotUseIsRefusedAsTheCallersMistake(String path) {
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(TOKEN).run(RunRequest.newBuilder().setCommandsFile(path).build()));

        assertThat(refused.getStatus().getCode()).isIn(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND);
    }

    @Test
    void neitherTheTokenNorAWrongTokenNorAcceptedCommandsReachTheLogs() {
        StatusRuntimeException unauthenticated = catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(WRONG_TOKEN).run(RunRequest.newBuilder().setCommands("inventory\n").build()));
        RunResponse fromFile = stub(TOKEN).run(RunRequest.newBuilder().setCommandsFile("weekly.txt")
                .setRunId("run-logs").build());
        RunResponse inline = stub(TOKEN).run(RunRequest.newBuilder().setRunId("run-inline")
                .setCommands(CONFIDENTIAL_COMMENT + "\ninventory programs\nreboot now\n").build());

        assertThat(unauthenticated.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(fromFile.getAccepted()).isEqualTo(2);
        assertThat(inline.getRejectedList()).singleElement()
                .satisfies(rejected -> assertThat(rejected.getText()).isEqualTo("reboot now"));
        List<String> logged = new ArrayList<>();
        for (ILoggingEvent event : logs.list) {
            logged.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                logged.add(event.getThrowableProxy().getMessage());
            }
        }
        assertThat(logged).as("captured log lines").isNotEmpty();
        assertThat(String.join("\n", logged))
                .doesNotContain(TOKEN)
                .doesNotContain(WRONG_TOKEN)
                .doesNotContain("Sup3rSecret")
                .doesNotContain("CONFIDENTIAL-4711")
                .doesNotContain("inventory os programs");
    }

    private static AgentGatewayGrpc.AgentGatewayBlockingStub stub(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return AgentGatewayGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }
}

package io.inventory.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a newcomer sees when the local pipeline cannot start: one clear sentence, no stack trace. */
class LocalPipelineCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void missingExportIsNamedAndNothingStarts() {
        int exitCode = run("--registry-file", dir.resolve("nowhere.reg").toString(), "--grpc-port", "0");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("nowhere.reg: no such file").doesNotContain("\tat ");
        assertThat(out.toString()).doesNotContain("is running");
    }

    @Test
    void malformedExportIsReportedWithTheFileInsteadOfAStackTrace() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.reg"), "this is not a registry export\r\n",
                StandardCharsets.UTF_8);

        int exitCode = run("--registry-file", broken.toString(), "--grpc-port", "0");

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).contains("broken.reg").doesNotContain("\tat ");
    }

    @Test
    void busyGrpcPortIsReportedAndThePartsAlreadyStartedStop() throws Exception {
        Path export = new SyntheticExport("LAB-PORT", 1, "1.0").writeTo(dir.resolve("port.reg"));

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int exitCode = run("--registry-file", export.toString(), "--grpc-port",
                    Integer.toString(taken.getLocalPort()));

            assertThat(exitCode).isEqualTo(1);
            assertThat(err.toString()).contains("did not start").contains(Integer.toString(taken.getLocalPort()))
                    .doesNotContain("\tat ");
        }
    }

    private int run(String... args) {
        return LocalPipelineCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }
}

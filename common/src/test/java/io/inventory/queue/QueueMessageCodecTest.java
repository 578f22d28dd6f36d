package io.inventory.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inventory.codec.InvalidMessageException;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.InventoryTask;
import io.inventory.proto.Program;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class QueueMessageCodecTest {

    private static final String UNINSTALL_KEY =
            "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\";
    private static final Map<String, String> ATTRIBUTES = Map.of("task_id", "run-1-L1", "run_id", "run-1");

    private final QueueMessageCodec codec = new QueueMessageCodec(256 * 1024, 64 * 1024);

    @Test
    void smallResultTravelsAsPlainJson() throws Exception {
        InventoryResult result = resultWithPrograms(10);

        EncodedMessage message = codec.encode(result, ATTRIBUTES);

        assertThat(message.compressed()).isFalse();
        assertThat(message.body()).startsWith("{\"task_id\":\"run-1-L1\"");
        assertThat(message.attributes()).isEqualTo(ATTRIBUTES);
        InventoryResult decoded = QueueMessageCodec.decode(message.body(), null, InventoryResult.newBuilder());
        assertThat(decoded).isEqualTo(result);
    }

    @Test
    void largeResultIsCompressedAndStillDecodesIntact() throws Exception {
        InventoryResult result = resultWithPrograms(5000);

        EncodedMessage message = codec.encode(result, ATTRIBUTES);

        assertThat(message.jsonBytes()).isGreaterThan(256 * 1024);
        assertThat(message.compressed()).isTrue();
        assertThat(message.sizeBytes()).isLessThanOrEqualTo(256 * 1024)
                .isEqualTo(QueueMessageCodec.sizeOf(message.body(), message.attributes()));
        InventoryResult decoded = QueueMessageCodec.decode(message.body(),
                message.attributes().get(QueueMessageCodec.CONTENT_ENCODING), InventoryResult.newBuilder());
        assertThat(decoded).isEqualTo(result);
    }

    @Test
    void resultThatCannotFitEvenCompressedIsRefusedWithItsSizes() {
        QueueMessageCodec tiny = new QueueMessageCodec(2048, 1024);
        InventoryResult result = resultWithPrograms(500);

        assertThatThrownBy(() -> tiny.encode(result, ATTRIBUTES))
                .isInstanceOfSatisfying(MessageTooLargeException.class, e -> {
                    assertThat(e.limitBytes()).isEqualTo(2048);
                    assertThat(e.jsonBytes()).isGreaterThan(e.encodedBytes());
                    assertThat(e.encodedBytes()).isGreaterThan(2048);
                });
    }

    @Test
    void plainEncodingRefusesATaskOverTheLimit() {
        QueueMessageCodec tiny = new QueueMessageCodec(1024, 512);
        InventoryTask task = InventoryTask.newBuilder().setTaskId("t").setSource("x".repeat(2000)).build();

        assertThatThrownBy(() -> tiny.encodePlain(task, Map.of())).isInstanceOf(MessageTooLargeException.class);
    }

    @Test
    void sizeCountsMultiByteCharactersAndAttributes() {
        assertThat(QueueMessageCodec.sizeOf("é漢😀", Map.of())).isEqualTo(2 + 3 + 4);
        assertThat(QueueMessageCodec.sizeOf("", Map.of("ab", "cd"))).isEqualTo(2 + "String".length() + 2);
    }

    @Test
    void corruptCompressedBodyIsAnInvalidMessage() {
        assertThatThrownBy(() -> QueueMessageCodec.decodeToJson("bm90IGd6aXA=", QueueMessageCodec.GZIP_BASE64))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("not valid gzip");
        assertThatThrownBy(() -> QueueMessageCodec.decodeToJson("%%%", QueueMessageCodec.GZIP_BASE64))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("not base64");
    }

    @Test
    void unknownEncodingIsAnInvalidMessage() {
        assertThatThrownBy(() -> QueueMessageCodec.decodeToJson("{}", "br"))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("unknown content_encoding 'br'");
    }

    @Test
    void compressionBombIsRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 65; i++) {
                gzip.write(zeros);
            }
        }
        String body = Base64.getEncoder().encodeToString(bytes.toByteArray());

        assertThatThrownBy(() -> QueueMessageCodec.decodeToJson(body, QueueMessageCodec.GZIP_BASE64))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("expands beyond");
    }

    static InventoryResult resultWithPrograms(int count) {
        InventoryDocument.Builder document = InventoryDocument.newBuilder().setSchema("inventory/v1");
        for (int i = 0; i < count; i++) {
            document.addPrograms(Program.newBuilder()
                    .setName("Program " + i + " Enterprise Edition (x64)")
                    .setVersion("12." + i + ".4711")
                    .setPublisher("Publisher " + (i % 37) + " Corporation")
                    .setInstallDate("2024-03-1" + (i % 10))
                    .setUninstallString("MsiExec.exe /X{" + String.format("%08X", i) + "-1234-5678-9ABC-DEF012345678}")
                    .setArchitecture(i % 2 == 0 ? "x64" : "x86")
                    .setScope("machine")
                    .setRegistryKey(UNINSTALL_KEY + i));
        }
        return InventoryResult.newBuilder()
                .setTaskId("run-1-L1").setRunId("run-1").setHost("WS-001").setStatus("ok")
                .setCollectedAt("2026-12-03T16:44:00Z").setInventory(document).build();
    }
}

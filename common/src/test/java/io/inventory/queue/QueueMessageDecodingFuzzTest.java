package io.inventory.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.protobuf.Message;
import io.inventory.codec.InvalidMessageException;
import io.inventory.proto.AgentInfo;
import io.inventory.proto.HostInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.InventoryTask;
import io.inventory.proto.OsInfo;
import io.inventory.proto.Program;
import io.inventory.proto.SectionError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Hostile and generated task and result messages, as a reader takes them off a queue. The invariants: decoding
 * either gives the message or throws {@link InvalidMessageException}, in bounded time and memory; and a generated
 * message encoded by the sender's codec (compressed or not) decodes to an equal message.
 *
 * <p>Runs 1,000 tries per property in {@code verify}; a long run is
 * {@code ./mvnw -pl common test -Dtest=QueueMessageDecodingFuzzTest -DargLine=-Djqwik.tries.default=100000}.
 */
class QueueMessageDecodingFuzzTest {

    /** Generous: every body here decodes in milliseconds; this only catches hangs and runaway work. */
    private static final Duration PER_MESSAGE = Duration.ofSeconds(20);

    private static final List<String> JSON_TOKENS = List.of(
            "{", "}", "[", "]", ":", ",", "\"", "\"task_id\"", "\"run_id\"", "\"line\"", "\"sections\"",
            "\"inventory\"", "\"os\"", "\"ubr\"", "\"programs\"", "\"estimated_size_kb\"", "\"host\"", "\"status\"",
            "\"errors\"", "\"agent\"", "\"unknown_field\"", "\"x\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\\"\"",
            "0", "-1", "1.5", "-0", "1e3", "1e-7", "4294967296", "2147483648", "99999999999999999999", "NaN",
            "Infinity", "\"12\"", "true", "false", "null", " ", "\n", "\u00e9", "/*", "//", "'", "\\");

    private static final List<String> ENCODINGS = List.of("", QueueMessageCodec.GZIP_BASE64, "gzip", "GZIP+BASE64",
            "base64", "identity", "gzip+base64 ");

    @Property
    void anyBodyDecodesToATaskOrTheTypedError(@ForAll("hostileBodies") String body,
                                              @ForAll("encodings") String encoding) {
        assertDecodesOrFailsTyped(body, encoding, InventoryTask.newBuilder());
    }

    @Property
    void anyBodyDecodesToAResultOrTheTypedError(@ForAll("hostileBodies") String body,
                                                @ForAll("encodings") String encoding) {
        assertDecodesOrFailsTyped(body, encoding, InventoryResult.newBuilder());
    }

    @Property
    void anyCompressedBodyDecodesToAResultOrTheTypedError(@ForAll("hostileBodies") String json) {
        String body = Base64.getEncoder().encodeToString(gzip(json.getBytes(StandardCharsets.UTF_8)));

        assertDecodesOrFailsTyped(body, QueueMessageCodec.GZIP_BASE64, InventoryResult.newBuilder());
    }

    @Property
    void aGeneratedResultSurvivesEncodingAndDecoding(@ForAll("results") InventoryResult result,
                                                     @ForAll("thresholds") int compressAbove)
            throws InvalidMessageException {
        QueueMessageCodec codec = new QueueMessageCodec(QueueMessageCodec.DEFAULT_MAX_MESSAGE_BYTES, compressAbove);
        EncodedMessage encoded;
        try {
            encoded = codec.encode(result, Map.of("run_id", result.getRunId(), "task_id", result.getTaskId()));
        } catch (MessageTooLargeException e) {
            assertThat(e.encodedBytes()).isGreaterThan(e.limitBytes());
            return;
        }

        InventoryResult decoded = decodeWithin(encoded.body(), encoded.attributes().get(
                QueueMessageCodec.CONTENT_ENCODING), InventoryResult.newBuilder());

        assertThat(decoded).isEqualTo(result);
        assertThat(encoded.sizeBytes()).isLessThanOrEqualTo(QueueMessageCodec.DEFAULT_MAX_MESSAGE_BYTES);
    }

    @Property
    void aGeneratedTaskSurvivesEncodingAndDecoding(@ForAll("tasks") InventoryTask task) throws Exception {
        EncodedMessage encoded = new QueueMessageCodec().encodePlain(task, Map.of("task_id", task.getTaskId()));

        InventoryTask decoded = decodeWithin(encoded.body(), null, InventoryTask.newBuilder());

        assertThat(decoded).isEqualTo(task);
    }

    @Example
    void aCompressionBombIsRefusedWithoutExpandingIt() {
        byte[] zeros = new byte[QueueMessageCodec.MAX_DECODED_BYTES + 1024 * 1024];
        String body = Base64.getEncoder().encodeToString(gzip(zeros));

        assertThatThrownBy(() -> decodeWithin(body, QueueMessageCodec.GZIP_BASE64, InventoryResult.newBuilder()))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("expands beyond");
    }

    @Example
    void deeplyNestedJsonIsRefusedWithoutOverflowingTheStack() {
        String nested = "[".repeat(200_000) + "]".repeat(200_000);
        String body = "{\"task_id\":\"t-L1\",\"unknown_field\":" + nested + "}";

        assertDecodesOrFailsTyped(body, null, InventoryTask.newBuilder());
        assertDecodesOrFailsTyped("{\"inventory\":{\"os\":" + nested + "}}", null, InventoryResult.newBuilder());
    }

    /**
     * A huge number in an unsigned field makes protobuf's JSON parser build the whole integer before it finds it out
     * of range: before the fix, {@code 1e9999999} took 8 s, {@code "1e9999999"} 36 s, {@code 1e-999999} 3 s and a
     * string of 250,000 digits 18 s. One such field in a poison result must not hold a writer for its whole timeout.
     */
    @Property(tries = 20)
    void aHugeNumberInAnUnsignedFieldIsRefusedQuickly(@ForAll("hugeNumbers") String number) {
        String body = "{\"task_id\":\"t-L1\",\"inventory\":{\"programs\":[{\"name\":\"x\","
                + "\"estimated_size_kb\":" + number + "}]}}";

        assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> QueueMessageCodec.decode(body, null, InventoryResult.newBuilder())))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("the number at character");
    }

    @Example
    void aProgramNameThatMerelyMentionsAnExponentIsKept() throws InvalidMessageException {
        String body = "{\"task_id\":\"t-L1\",\"inventory\":{\"programs\":[{\"name\":\"Tool 1e9999999 edition\"}]}}";

        InventoryResult result = QueueMessageCodec.decode(body, null, InventoryResult.newBuilder());

        assertThat(result.getInventory().getPrograms(0).getName()).isEqualTo("Tool 1e9999999 edition");
    }

    @Provide
    Arbitrary<String> hugeNumbers() {
        return Arbitraries.of("1e9999999", "\"1e9999999\"", "1e-999999", "1E+99999999", "-1e9999999",
                "\"\\u0031e9999999\"", "'1e9999999'", "\"\u0661e\u0669\u0669\u0669\u0669\u0669\u0669\"",
                "1" + "0".repeat(250_000), "\"" + "9".repeat(250_000) + "\"", "0.000001e9999999");
    }

    @Provide
    Arbitrary<String> hostileBodies() {
        Arbitrary<String> tokenSoup = Arbitraries.of(JSON_TOKENS).list().ofMaxSize(80).map(t -> String.join("", t));
        Arbitrary<String> objectSoup = Arbitraries.of(JSON_TOKENS).list().ofMaxSize(60)
                .map(tokens -> "{\"task_id\":\"r-L1\"," + String.join("", tokens) + "}");
        Arbitrary<String> wrongTypes = Combinators.combine(
                        Arbitraries.of("task_id", "line", "sections", "inventory", "programs", "os", "ubr", "status",
                                "collected_at", "agent", "errors", "host"),
                        Arbitraries.of("1", "\"a\"", "[]", "{}", "[1,2]", "[{}]", "null", "true", "-5", "3.7",
                                "\"-1\"", "1e2", "[\"os\",\"$(id)\"]", "{\"os\":{\"ubr\":-1}}",
                                "{\"programs\":[{\"estimated_size_kb\":\"x\"}]}", "{\"os\":{\"ubr\":1e20}}"))
                .as((field, value) -> "{\"" + field + "\":" + value + "}");
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(512);
        return Arbitraries.frequencyOf(Tuple.of(4, tokenSoup), Tuple.of(3, objectSoup), Tuple.of(3, wrongTypes),
                Tuple.of(1, anyText));
    }

    @Provide
    Arbitrary<String> encodings() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just((String) null)),
                Tuple.of(3, Arbitraries.of(ENCODINGS)));
    }

    @Provide
    Arbitrary<Integer> thresholds() {
        return Arbitraries.of(0, 256, QueueMessageCodec.DEFAULT_COMPRESS_ABOVE_BYTES);
    }

    @Provide
    Arbitrary<InventoryTask> tasks() {
        return Combinators.combine(ids(), Arbitraries.integers().between(1, 1_000_000),
                        Arbitraries.of("os", "host", "programs").list().ofMaxSize(4), text())
                .as((runId, line, sections, source) -> InventoryTask.newBuilder()
                        .setRunId(runId).setTaskId(runId + "-L" + line).setLine(line).addAllSections(sections)
                        .setSource(source).setCreatedAt("2026-12-03T16:00:00Z").build());
    }

    @Provide
    Arbitrary<InventoryResult> results() {
        Arbitrary<Program> program = Combinators.combine(text(), text(), text(),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.of("x64", "x86", ""))
                .as((name, version, publisher, size, arch) -> Program.newBuilder().setName(name).setVersion(version)
                        .setPublisher(publisher).setEstimatedSizeKb(size).setArchitecture(arch).build());
        Arbitrary<OsInfo> os = Combinators.combine(text(), Arbitraries.integers().between(0, Integer.MAX_VALUE))
                .as((product, ubr) -> OsInfo.newBuilder().setProductName(product).setUbr(ubr).build());
        Arbitrary<InventoryDocument> document = Combinators.combine(text(), os, program.list().ofMaxSize(60),
                        Arbitraries.of("ok", "partial", "error"))
                .as((host, osInfo, programs, status) -> InventoryDocument.newBuilder().setSchema("inventory/v1")
                        .setHost(HostInfo.newBuilder().setName(host)).setOs(osInfo).addAllPrograms(programs)
                        .setStatus(status)
                        .addErrors(SectionError.newBuilder().setSection("os").setCode("X").setMessage(status))
                        .build());
        return Combinators.combine(ids(), text(), document, Arbitraries.of(true, false))
                .as((runId, host, inventory, ok) -> {
                    InventoryResult.Builder result = InventoryResult.newBuilder().setRunId(runId)
                            .setTaskId(runId + "-L1").setHost(host).setCollectedAt("2026-12-03T16:00:00.123Z")
                            .setAgent(AgentInfo.newBuilder().setVersion("1.0"));
                    return ok ? result.setStatus("ok").setInventory(inventory).build()
                            : result.setStatus("error").setErrorCode("COLLECTION_FAILED").setErrorMessage(host)
                                    .build();
                });
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(40);
    }

    private static Arbitrary<String> text() {
        // Lone surrogates are not text: no sender can put them in UTF-8 JSON.
        return Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFF')
                .ofMaxLength(60);
    }

    private static void assertDecodesOrFailsTyped(String body, String encoding, Message.Builder builder) {
        try {
            Message decoded = decodeWithin(body, encoding, builder);
            assertThat(decoded).isNotNull();
        } catch (InvalidMessageException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    private static <T extends Message> T decodeWithin(String body, String encoding, Message.Builder builder)
            throws InvalidMessageException {
        // assertTimeoutPreemptively rethrows the decoder's own exception unchanged.
        return assertTimeoutPreemptively(PER_MESSAGE,
                () -> QueueMessageCodec.<T>decode(body, encoding, builder.clone()));
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}

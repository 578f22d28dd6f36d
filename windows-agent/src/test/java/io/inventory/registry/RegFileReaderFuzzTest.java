package io.inventory.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated and hostile .reg exports. The invariants: a registry rendered as regedit writes it reads back to the
 * same keys and values; any other input either reads or fails with {@link RegFileException} and a line number that
 * exists in the file, in bounded time, and never with another exception.
 *
 * <p>Runs 1,000 tries per property in {@code verify}; a long run is
 * {@code ./mvnw -pl windows-agent test -Dtest=RegFileReaderFuzzTest -DargLine=-Djqwik.tries.default=100000}.
 */
class RegFileReaderFuzzTest {

    /** Generous: a generated export reads in a millisecond or two; this only catches hangs. */
    private static final Duration PER_FILE = Duration.ofSeconds(30);

    private static final List<String> LINE_TOKENS = List.of(
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]", "[HKLM\\SOFTWARE\\B]", "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\A]", "[HKU]",
            "[HKEY_NOWHERE\\X]", "[]", "[-]", "[", "]", "[HKEY_USERS\\S-1-5-21\\Software]x", "\"Name\"=\"value\"",
            "@=\"default\"", "@=-", "\"Gone\"=-", "\"D\"=dword:0000002a", "\"D\"=dword:", "\"D\"=dword:123456789",
            "\"D\"=dword:zz", "\"B\"=hex:01,02,ff", "\"B\"=hex:01,02,\\", "  03,04", "\"B\"=hex:1,,2", "\"B\"=hex:0g",
            "\"Q\"=hex(b):01,02,03,04,05,06,07,08", "\"E\"=hex(2):41,00,00,00", "\"M\"=hex(7):41,00,00,00,00,00",
            "\"T\"=hex(ffffffff):00", "\"T\"=hex():00", "\"T\"=hex(123456789):00", "\"T\"=hex(2)00",
            "\"Esc\"=\"a\\\\b\"",
            "\"Esc\"=\"a\\qb\"", "\"Open\"=\"no end", "\"Name\" = \"spaced\"", "\"Name\"=\"x\" trailing", "; comment",
            "\"NoEquals\"", "@", "@x=1", "plain text", "REGEDIT4", "Windows Registry Editor Version 5.00", "\"\"=\"\"",
            "\"D\"=dword:\u0661\u0662", "\"Q\"=\"\\\"", "\\", ",", "hex:", "\t", "   ", "");

    private static final List<String> LINE_ENDS = List.of("\r\n", "\n", "\r", "\r\r\n");

    private static Path directory;

    @BeforeContainer
    static void createDirectory() throws IOException {
        directory = Files.createTempDirectory("reg-fuzz");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    @Property
    void aRegistryWrittenAsRegeditWritesItReadsBackUnchanged(@ForAll("registries") List<GeneratedKey> keys,
                                                             @ForAll("lineEnds") String lineEnd) {
        byte[] export = utf16WithBom(render(keys, lineEnd));

        Outcome outcome = readWithin(export);

        assertThat(outcome.error).as("error reading %s", keys).isNull();
        for (GeneratedKey key : keys) {
            assertThat(outcome.registry.exists(key.key())).as("key %s", key.key()).isTrue();
            assertThat(new TreeSet<>(outcome.registry.values(key.key()).all().stream().map(Object::toString)
                    .toList())).as("values of %s", key.key())
                    .isEqualTo(new TreeSet<>(key.values().stream().map(Object::toString).toList()));
            for (RegistryValue value : key.values()) {
                assertThat(outcome.registry.values(key.key()).get(value.name())).contains(value);
            }
        }
    }

    @Property
    void anyLinesAfterAHeaderReadOrFailWithALineNumber(@ForAll("lineSoup") List<String> lines,
                                                       @ForAll("lineEnds") String lineEnd,
                                                       @ForAll boolean unicode) {
        String header = unicode ? RegFileReader.HEADER_V5 : RegFileReader.HEADER_V4;
        String text = header + lineEnd + String.join(lineEnd, lines);
        byte[] export = unicode ? utf16WithBom(text) : text.getBytes(StandardCharsets.UTF_8);

        Outcome outcome = readWithin(export);

        if (outcome.error != null) {
            assertThat(outcome.error.line()).as(outcome.error.getMessage()).isBetween(1, lines.size() + 2);
            assertThat(outcome.error.expected()).isNotBlank();
        }
    }

    @Property
    void anyBytesReadOrFailWithTheTypedError(@ForAll("hostileBytes") byte[] export) {
        Outcome outcome = readWithin(export);

        if (outcome.error != null) {
            assertThat(outcome.error.line()).isBetween(0, export.length + 2);
            assertThat(outcome.error.getMessage()).isNotBlank();
        }
    }

    @Property
    void aDamagedExportReadsOrFailsWithTheTypedError(@ForAll("registries") List<GeneratedKey> keys,
                                                      @ForAll("damage") List<Tuple.Tuple2<Integer, Byte>> damage,
                                                      @ForAll boolean truncate) {
        byte[] export = utf16WithBom(render(keys, "\r\n"));
        for (Tuple.Tuple2<Integer, Byte> change : damage) {
            export[Math.floorMod(change.get1(), export.length)] = change.get2();
        }
        if (truncate) {
            export = Arrays.copyOf(export, export.length / 2 + 1);
        }

        Outcome outcome = readWithin(export);

        if (outcome.error != null) {
            assertThat(outcome.error.line()).isBetween(0, export.length);
        }
    }

    /** Found by the properties above: the strict decoder was asked for more text after it had been flushed. */
    @Example
    void anExportWhoseLastLineHasNoLineEndReads() {
        String text = RegFileReader.HEADER_V5 + "\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\r\n\"Name\"=\"value\"";

        Outcome outcome = readWithin(utf16WithBom(text));

        assertThat(outcome.error).isNull();
        assertThat(outcome.registry.values(RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE\\A")).text("Name"))
                .contains("value");
    }

    @Example
    void aLineLongerThanTheLimitIsRefusedWithItsNumber() {
        String text = RegFileReader.HEADER_V5 + "\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\r\n\"Long\"=\""
                + "x".repeat(RegFileReader.MAX_LINE_CHARS) + "\"\r\n";

        Outcome outcome = readWithin(text.getBytes(StandardCharsets.UTF_8));

        assertThat(outcome.error).isNotNull();
        assertThat(outcome.error.line()).isEqualTo(4);
    }

    @Example
    void aHexValueContinuedToTheEndOfTheFileIsRefused() {
        String text = RegFileReader.HEADER_V5 + "\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\r\n\"B\"=hex:01,\\\r\n"
                + "  02,03,\\\r\n".repeat(100_000);

        Outcome outcome = readWithin(utf16WithBom(text));

        assertThat(outcome.error).isNotNull();
        assertThat(outcome.error.expected()).contains("continuation");
    }

    @Provide
    Arbitrary<String> lineEnds() {
        return Arbitraries.of("\r\n", "\n");
    }

    @Provide
    Arbitrary<List<String>> lineSoup() {
        Arbitrary<String> token = Arbitraries.of(LINE_TOKENS);
        Arbitrary<String> joined = token.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("", parts));
        return Arbitraries.frequencyOf(Tuple.of(8, token), Tuple.of(2, joined),
                        Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40)))
                .list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<byte[]> hostileBytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
        Arbitrary<byte[]> withHeader = Combinators.combine(
                        Arbitraries.of(new byte[] {(byte) 0xFF, (byte) 0xFE}, new byte[] {(byte) 0xFE, (byte) 0xFF},
                                new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, new byte[0],
                                "REGEDIT4\r\n".getBytes(StandardCharsets.US_ASCII),
                                utf16WithBom(RegFileReader.HEADER_V5 + "\r\n")),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(2048))
                .as((head, tail) -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.writeBytes(head);
                    out.writeBytes(tail);
                    return out.toByteArray();
                });
        Arbitrary<byte[]> soupInUtf16 = Combinators.combine(lineSoup(), Arbitraries.of(LINE_ENDS))
                .as((lines, end) -> utf16WithBom(RegFileReader.HEADER_V5 + end + String.join(end, lines)));
        return Arbitraries.oneOf(random, withHeader, soupInUtf16);
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Byte>>> damage() {
        return Combinators.combine(Arbitraries.integers().greaterOrEqual(0), Arbitraries.bytes())
                .as(Tuple::of).list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<GeneratedKey>> registries() {
        Arbitrary<String> keyName = name(1).filter(name -> !name.isBlank());
        Arbitrary<RegistryKey> key = Combinators.combine(
                        Arbitraries.of(Hive.LOCAL_MACHINE, Hive.USERS, Hive.CURRENT_USER),
                        keyName.list().ofMinSize(1).ofMaxSize(4))
                .as((hive, segments) -> RegistryKey.of(hive, String.join("\\", segments)));
        Arbitrary<RegistryValue> value = Arbitraries.oneOf(
                Combinators.combine(name(0), text()).as(RegistryValue::ofString),
                Combinators.combine(name(0), text())
                        .as((name, text) -> RegistryValue.ofString(name, RegistryValueType.EXPAND_SZ, text)),
                Combinators.combine(name(0), text().filter(s -> !s.isEmpty()).list().ofMaxSize(4))
                        .as(RegistryValue::ofMultiString),
                Combinators.combine(name(0), Arbitraries.longs().between(0, 0xFFFF_FFFFL)).as(RegistryValue::ofDword),
                Combinators.combine(name(0), Arbitraries.longs()).as(RegistryValue::ofQword),
                Combinators.combine(name(0), Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                        .as((name, bytes) -> RegistryValue.ofBytes(name, RegistryValueType.BINARY, bytes)),
                Combinators.combine(name(0), Arbitraries.bytes().array(byte[].class).ofMaxSize(8))
                        .as((name, bytes) -> RegistryValue.ofBytes(name, RegistryValueType.NONE, bytes)));
        Arbitrary<GeneratedKey> generated = Combinators.combine(key, value.list().ofMaxSize(8))
                .as(GeneratedKey::of);
        return generated.list().ofMaxSize(8).map(RegFileReaderFuzzTest::withoutClashes);
    }

    /** Names as regedit allows them: any text but backslashes (in key names) and control characters. */
    private static Arbitrary<String> name(int minLength) {
        return Arbitraries.strings().withChars("\"\\]@=;[- ").withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withCharRange('\u00C0', '\u00FF').withCharRange('\u4E00', '\u4E20')
                .ofMinLength(minLength).ofMaxLength(12)
                .map(name -> minLength > 0 ? name.replace('\\', '_') : name);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().withChars("\"\\ %;=[]@\t").withCharRange('a', 'z').withCharRange('0', '9')
                .withCharRange('\u00C0', '\u00FF').withCharRange('\u4E00', '\u4E20').withChars("\uD83D\uDE00")
                .ofMaxLength(30)
                .filter(RegFileReaderFuzzTest::hasNoLoneSurrogate);
    }

    private static boolean hasNoLoneSurrogate(String text) {
        return text.equals(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    /** Keys and value names are case-insensitive, so a generated registry keeps one of each clashing pair. */
    private static List<GeneratedKey> withoutClashes(List<GeneratedKey> keys) {
        Map<String, GeneratedKey> unique = new LinkedHashMap<>();
        for (GeneratedKey key : keys) {
            unique.putIfAbsent(key.key().toString().toUpperCase(Locale.ROOT), key);
        }
        return List.copyOf(unique.values());
    }

    private static String render(List<GeneratedKey> keys, String lineEnd) {
        StringBuilder text = new StringBuilder(RegFileReader.HEADER_V5).append(lineEnd);
        for (GeneratedKey key : keys) {
            text.append(lineEnd).append('[').append(key.key()).append(']').append(lineEnd);
            for (RegistryValue value : key.values()) {
                String name = value.name().isEmpty() ? "@" : "\"" + escape(value.name()) + "\"";
                text.append(name).append('=').append(data(value, name.length() + 1, lineEnd)).append(lineEnd);
            }
        }
        return text.toString();
    }

    private static String data(RegistryValue value, int column, String lineEnd) {
        return switch (value.type()) {
            case SZ -> "\"" + escape(value.asText().orElseThrow()) + "\"";
            case DWORD -> String.format("dword:%08x", value.asNumber().orElseThrow());
            case QWORD -> hex("hex(b):", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(value.asNumber().orElseThrow()).array(), column, lineEnd);
            case EXPAND_SZ -> hex("hex(2):", utf16z(value.asText().orElseThrow() + "\0"), column, lineEnd);
            case MULTI_SZ -> hex("hex(7):", utf16z(String.join("\0", value.asTexts()) + "\0\0"), column, lineEnd);
            case BINARY -> hex("hex:", value.asBytes().orElseThrow(), column, lineEnd);
            default -> hex("hex(" + Integer.toHexString(value.type().code()) + "):", value.asBytes().orElseThrow(),
                    column, lineEnd);
        };
    }

    /** Hex data wrapped as regedit wraps it: {@code ,\} near column 80, continuation lines indented by two spaces. */
    private static String hex(String prefix, byte[] bytes, int column, String lineEnd) {
        StringBuilder text = new StringBuilder(prefix);
        int width = column + prefix.length();
        HexFormat hexFormat = HexFormat.of();
        for (int i = 0; i < bytes.length; i++) {
            String next = hexFormat.toHexDigits(bytes[i]) + (i < bytes.length - 1 ? "," : "");
            if (width + next.length() > 77 && i < bytes.length - 1) {
                text.append('\\').append(lineEnd).append("  ");
                width = 2;
            }
            text.append(next);
            width += next.length();
        }
        return text.toString();
    }

    private static byte[] utf16z(String text) {
        return text.getBytes(StandardCharsets.UTF_16LE);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static byte[] utf16WithBom(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xFE);
        out.writeBytes(text.getBytes(StandardCharsets.UTF_16LE));
        return out.toByteArray();
    }

    private static Outcome readWithin(byte[] export) {
        return assertTimeoutPreemptively(PER_FILE, () -> {
            Path file = Files.createTempFile(directory, "fuzz", ".reg");
            try {
                Files.write(file, export);
                return new Outcome(Registries.open(List.of(file), KeySelection.everything()), null);
            } catch (RegFileException e) {
                return new Outcome(null, e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                Files.deleteIfExists(file);
            }
        });
    }

    private record Outcome(Registry registry, RegFileException error) {
    }

    /** A key and its values, with value names unique ignoring case as the registry keeps them. */
    private record GeneratedKey(RegistryKey key, List<RegistryValue> values) {

        static GeneratedKey of(RegistryKey key, List<RegistryValue> values) {
            Map<String, RegistryValue> unique = new LinkedHashMap<>();
            for (RegistryValue value : values) {
                unique.putIfAbsent(value.name().toUpperCase(Locale.ROOT), value);
            }
            return new GeneratedKey(key, new ArrayList<>(unique.values()));
        }
    }
}

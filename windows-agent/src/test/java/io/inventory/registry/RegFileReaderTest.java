package io.inventory.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegFileReaderTest {

    private static final RegistryKey FIXTURE = RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE\\InventoryFixture");
    private static final RegistryKey TYPES = FIXTURE.child("Types");

    @TempDir
    Path temp;

    @Nested
    class RegeditExports {

        @Test
        void everyValueTypeDecodesToWhatWasImported() throws Exception {
            Registry registry = read("syntax/value-types.reg");

            RegistryValues values = registry.values(TYPES);

            assertThat(values.text("")).contains("default value");
            assertThat(values.text("String")).contains("plain text");
            assertThat(values.get("Empty").flatMap(RegistryValue::asText)).contains("");
            assertThat(values.number("Dword")).hasValue(42);
            assertThat(values.number("DwordMax")).hasValue(0xFFFF_FFFFL);
            assertThat(values.get("Qword").orElseThrow().type()).isEqualTo(RegistryValueType.QWORD);
            assertThat(values.number("Qword")).hasValue(0x0102030405060708L);
            assertThat(values.get("Expand").orElseThrow().type()).isEqualTo(RegistryValueType.EXPAND_SZ);
            assertThat(values.text("Expand")).contains("%ProgramFiles%\\Café");
            assertThat(values.get("Multi").orElseThrow().asTexts()).containsExactly("one", "deux", "三");
            assertThat(values.get("EmptyMulti").orElseThrow().asTexts()).isEmpty();
            assertThat(values.get("EmptyBinary").orElseThrow().asBytes()).hasValueSatisfying(
                    bytes -> assertThat(bytes).isEmpty());
            assertThat(values.get("NoneType").orElseThrow().type()).isEqualTo(RegistryValueType.NONE);
            assertThat(values.get("BigEndian").orElseThrow().type()).isEqualTo(RegistryValueType.DWORD_BIG_ENDIAN);
        }

        @Test
        void hexDataContinuedOverSeveralLinesIsOneValue() throws Exception {
            Registry registry = read("syntax/value-types.reg");

            byte[] binary = registry.values(TYPES).get("Binary").orElseThrow().asBytes().orElseThrow();

            assertThat(binary).hasSize(100);
            for (int i = 0; i < binary.length; i++) {
                assertThat(binary[i]).as("byte %d", i).isEqualTo((byte) i);
            }
        }

        @Test
        void escapedQuotesAndBackslashesInNamesAndDataAreUnescaped() throws Exception {
            Registry registry = read("syntax/value-types.reg");

            RegistryValues values = registry.values(TYPES);

            assertThat(values.text("Escaped")).contains("C:\\Program Files\\\"quoted\"\\end\\\\");
            assertThat(values.text("Name \"with\" quotes\\and backslash")).contains("odd name");
        }

        @Test
        void unicodeKeyNamesAndValuesSurvive() throws Exception {
            Registry registry = read("syntax/value-types.reg");

            List<String> subkeys = registry.subkeys(FIXTURE);

            assertThat(subkeys).containsExactly("Empty", "Types", "Ünïcödé 日本語 key");
            assertThat(registry.values(FIXTURE.child("Ünïcödé 日本語 key")).text("Name")).contains("値");
        }

        @Test
        void aKeyWithoutValuesExistsAndIsEmpty() throws Exception {
            Registry registry = read("syntax/value-types.reg");

            assertThat(registry.exists(FIXTURE.child("Empty"))).isTrue();
            assertThat(registry.values(FIXTURE.child("Empty")).isEmpty()).isTrue();
            assertThat(registry.exists(FIXTURE.child("Missing"))).isFalse();
            assertThat(registry.subkeys(FIXTURE.child("Missing"))).isEmpty();
        }

        @Test
        void keyAndValueNamesAreLookedUpIgnoringCase() throws Exception {
            Registry registry = read("syntax/value-types.reg");

            RegistryKey upper = RegistryKey.of(Hive.LOCAL_MACHINE, "software\\INVENTORYFIXTURE\\types");

            assertThat(registry.values(upper).text("STRING")).contains("plain text");
        }
    }

    @Nested
    class Regedit4 {

        @Test
        void ansiRegedit4FileReadsAsRegeditImportsIt() throws Exception {
            Registry legacy = read("syntax/regedit4.reg");
            Registry asImported = read("syntax/regedit4-imported.reg");

            RegistryKey key = FIXTURE.child("Legacy");

            assertThat(legacy.values(key).all()).containsExactlyInAnyOrderElementsOf(asImported.values(key).all());
            assertThat(legacy.values(key).text("Name")).contains("Café crème");
            assertThat(legacy.values(key).text("Expand")).contains("%SystemRoot%\\Système");
            assertThat(legacy.values(key).get("Multi").orElseThrow().asTexts()).containsExactly("alpha", "bêta");
        }

        @Test
        void utf8Regedit4FileIsReadAsUtf8() throws Exception {
            Path file = write("utf8.reg", StandardCharsets.UTF_8, "REGEDIT4", "",
                    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\InventoryFixture\\Utf8]", "\"Name\"=\"日本語 Crème\"");

            Registry registry = RegFileReader.read(List.of(file), KeySelection.everything());

            assertThat(registry.values(FIXTURE.child("Utf8")).text("Name")).contains("日本語 Crème");
        }
    }

    @Nested
    class Deletions {

        @Test
        void deletedKeysAndValuesAreGoneAsAfterRegeditImportsThem() throws Exception {
            Registry merged = RegFileReader.read(
                    List.of(Fixtures.path("syntax/value-types.reg"), Fixtures.path("syntax/deletions.reg")),
                    KeySelection.everything());
            Registry expected = read("syntax/after-deletions.reg");

            assertThat(merged.subkeys(FIXTURE)).isEqualTo(expected.subkeys(FIXTURE));
            assertThat(merged.values(TYPES).all()).containsExactlyInAnyOrderElementsOf(expected.values(TYPES).all());
            assertThat(merged.exists(FIXTURE.child("Empty"))).isFalse();
            assertThat(merged.values(TYPES).contains("String")).isFalse();
            assertThat(merged.values(TYPES).contains("")).isFalse();
            assertThat(merged.values(TYPES).text("Added")).contains("added later");
        }

        @Test
        void aLaterFileOverridesValuesOfAnEarlierOne() throws Exception {
            Path first = write("first.reg", StandardCharsets.UTF_8, "REGEDIT4", "",
                    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\InventoryFixture\\Types]", "\"String\"=\"first\"",
                    "\"Kept\"=\"kept\"");
            Path second = write("second.reg", StandardCharsets.UTF_8, "REGEDIT4", "",
                    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\InventoryFixture\\Types]", "\"String\"=\"second\"");

            Registry registry = RegFileReader.read(List.of(first, second), KeySelection.everything());

            assertThat(registry.values(TYPES).text("String")).contains("second");
            assertThat(registry.values(TYPES).text("Kept")).contains("kept");
        }
    }

    @Nested
    class Syntax {

        @Test
        void keysUnderEveryRootAreRead() throws Exception {
            Path file = write("roots.reg", StandardCharsets.UTF_8, "REGEDIT4",
                    "[HKEY_LOCAL_MACHINE\\A]", "\"v\"=\"hklm\"",
                    "[HKEY_USERS\\S-1-5-18\\A]", "\"v\"=\"hku\"",
                    "[HKEY_CURRENT_USER\\A]", "\"v\"=\"hkcu\"",
                    "[HKEY_CLASSES_ROOT\\A]", "\"v\"=\"hkcr\"",
                    "[HKEY_CURRENT_CONFIG\\A]", "\"v\"=\"hkcc\"");

            Registry registry = RegFileReader.read(List.of(file), KeySelection.everything());

            assertThat(registry.values(RegistryKey.of(Hive.LOCAL_MACHINE, "A")).text("v")).contains("hklm");
            assertThat(registry.values(RegistryKey.of(Hive.USERS, "S-1-5-18\\A")).text("v")).contains("hku");
            assertThat(registry.values(RegistryKey.of(Hive.CURRENT_USER, "A")).text("v")).contains("hkcu");
            assertThat(registry.values(RegistryKey.of(Hive.CLASSES_ROOT, "A")).text("v")).contains("hkcr");
            assertThat(registry.values(RegistryKey.of(Hive.CURRENT_CONFIG, "A")).text("v")).contains("hkcc");
        }

        @Test
        void commentsBlankLinesAndSpacesAroundDataAreAccepted() throws Exception {
            Path file = write("spaces.reg", StandardCharsets.UTF_8, "Windows Registry Editor Version 5.00", "",
                    "; a comment", "   ", "[HKEY_LOCAL_MACHINE\\SOFTWARE\\InventoryFixture\\Types]  ",
                    "  \"A\" = \"spaced\"  ", "; another", "\"B\"=hex: 01 , 02 ,\\", "   03", "\"C\"=DWORD:ff");

            RegistryValues values = RegFileReader.read(List.of(file), KeySelection.everything()).values(TYPES);

            assertThat(values.text("A")).contains("spaced");
            assertThat(values.get("B").orElseThrow().asBytes()).hasValueSatisfying(
                    bytes -> assertThat(bytes).containsExactly(1, 2, 3));
            assertThat(values.number("C")).hasValue(255);
        }

        @Test
        void wow6432NodeKeysAnswerThe32BitView() throws Exception {
            Path file = write("wow.reg", StandardCharsets.UTF_8, "REGEDIT4",
                    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor]", "\"Bits\"=\"64\"",
                    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Vendor]", "\"Bits\"=\"32\"");

            Registry registry = RegFileReader.read(List.of(file), KeySelection.everything());

            RegistryKey vendor = RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE\\Vendor");
            assertThat(registry.values(vendor.inView(RegistryView.BIT_64)).text("Bits")).contains("64");
            assertThat(registry.values(vendor.inView(RegistryView.BIT_32)).text("Bits")).contains("32");
        }

        @Test
        void utf16ExportWithoutByteOrderMarkIsRecognised() throws Exception {
            Path file = temp.resolve("nobom.reg");
            Files.writeString(file, "Windows Registry Editor Version 5.00\r\n\r\n"
                    + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\InventoryFixture\\Types]\r\n\"A\"=\"ü\"\r\n",
                    StandardCharsets.UTF_16LE);

            Registry registry = RegFileReader.read(List.of(file), KeySelection.everything());

            assertThat(registry.values(TYPES).text("A")).contains("ü");
        }
    }

    @Nested
    class Malformed {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                empty.reg               | 1 | the header
                missing-header.reg      | 1 | the header
                value-before-key.reg    | 3 | a [KEY] line before the first value
                unterminated-key.reg    | 3 | "]" at the end of the key line
                unknown-root.reg        | 3 | a key under HKEY_LOCAL_MACHINE
                bad-dword.reg           | 5 | dword: followed by 1 to 8 hexadecimal digits
                bad-hex-byte.reg        | 5 | hex bytes as two hexadecimal digits
                continuation-at-end.reg | 5 | a continuation line of hex bytes
                unterminated-string.reg | 4 | a closing quote at the end of the string data
                unknown-type.reg        | 4 | "string", dword:, hex:, hex(N): or -
                missing-equals.reg      | 4 | "=" after the value name
                bad-escape.reg          | 4 | after a backslash
                text-after-string.reg   | 4 | the end of the line after the closing quote
                stray-line.reg          | 5 | a [KEY] line, a "name"=value line
                bad-hex-type.reg        | 4 | hex(N): with a hexadecimal type number N
                unterminated-name.reg   | 4 | "=" after the value name
                """)
        void malformedFileFailsWithItsLineAndWhatWasExpected(String name, int line, String expected) {
            Path file = Fixtures.path("malformed/" + name);

            assertThatThrownBy(() -> RegFileReader.read(List.of(file), KeySelection.everything()))
                    .isInstanceOfSatisfying(RegFileException.class, e -> {
                        assertThat(e.file()).isEqualTo(file);
                        assertThat(e.line()).as("line").isEqualTo(line);
                        assertThat(e.expected()).contains(expected);
                        assertThat(e.getMessage()).startsWith(file + ":" + line + ": expected ");
                    });
        }

        @Test
        void malformedLineIsReportedEvenInAKeyThatIsNotKept() {
            Path file = Fixtures.path("malformed/bad-dword.reg");

            assertThatThrownBy(() -> RegFileReader.read(List.of(file), KeySelection.inventory()))
                    .isInstanceOfSatisfying(RegFileException.class, e -> assertThat(e.line()).isEqualTo(5));
        }

        @Test
        void bytesThatDoNotDecodeAreReportedOnTheirLine() throws IOException {
            Path file = temp.resolve("broken-utf16.reg");
            byte[] head = ("\uFEFFWindows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"v\"=\"")
                    .getBytes(StandardCharsets.UTF_16LE);
            byte[] loneSurrogate = {0x00, (byte) 0xDC, 0x41, 0x00};
            Files.write(file, concat(head, loneSurrogate));

            assertThatThrownBy(() -> RegFileReader.read(List.of(file), KeySelection.everything()))
                    .isInstanceOfSatisfying(RegFileException.class, e -> {
                        assertThat(e.line()).isEqualTo(4);
                        assertThat(e.expected()).isEqualTo("text in the file's encoding");
                    });
        }

        @Test
        void aMissingFileIsATypedErrorNamingIt() {
            Path missing = temp.resolve("missing.reg");

            assertThatThrownBy(() -> Registries.open(List.of(missing)))
                    .isInstanceOfSatisfying(RegFileException.class, e -> {
                        assertThat(e.file()).isEqualTo(missing);
                        assertThat(e.line()).isZero();
                        assertThat(e.getMessage()).contains("missing.reg").contains("cannot read");
                    });
        }

        @Test
        void digitsOfOtherScriptsAreNotHexDigits() throws IOException {
            Path file = temp.resolve("arabic-indic.reg");
            Files.writeString(file, "REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"D\"=dword:\u0661\u0662\r\n",
                    StandardCharsets.UTF_8);

            assertThatThrownBy(() -> RegFileReader.read(List.of(file), KeySelection.everything()))
                    .isInstanceOfSatisfying(RegFileException.class, e -> {
                        assertThat(e.line()).isEqualTo(3);
                        assertThat(e.expected()).isEqualTo("dword: followed by 1 to 8 hexadecimal digits");
                    });
        }

        @Test
        void anOverlongLineIsRefusedRatherThanBuffered() throws IOException {
            Path file = temp.resolve("long.reg");
            String longValue = "x".repeat(RegFileReader.MAX_LINE_CHARS);
            Files.writeString(file, "REGEDIT4\r\n[HKEY_LOCAL_MACHINE\\A]\r\n\"v\"=\"" + longValue + "\"\r\n");

            assertThatThrownBy(() -> RegFileReader.read(List.of(file), KeySelection.everything()))
                    .isInstanceOfSatisfying(RegFileException.class, e -> assertThat(e.line()).isEqualTo(3));
        }
    }

    private static Registry read(String fixture) throws RegFileException {
        return RegFileReader.read(List.of(Fixtures.path(fixture)), KeySelection.everything());
    }

    private Path write(String name, Charset charset, String... lines) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, String.join("\r\n", lines) + "\r\n", charset);
        return file;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}

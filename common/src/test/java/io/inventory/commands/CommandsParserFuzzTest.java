package io.inventory.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;

/**
 * Hostile and generated commands files. The invariants: the parser either returns its result or throws the typed
 * {@link CommandsFileException}; every line it reports exists in the input; memory and time stay bounded; and a
 * file rendered from a generated list of commands parses back to exactly those commands.
 *
 * <p>Runs 1,000 tries per property in {@code verify}; a long run is
 * {@code ./mvnw -pl common test -Dtest=CommandsParserFuzzTest -DargLine=-Djqwik.tries.default=100000}.
 */
class CommandsParserFuzzTest {

    /** Generous: a 64 KiB input parses in well under a millisecond; this only catches hangs. */
    private static final Duration PER_INPUT = Duration.ofSeconds(20);

    private static final List<String> TOKENS = List.of(
            "inventory", "INVENTORY", "Inventory", "os", "OS", "host", "Host", "programs", "PROGRAMS", "all",
            "#", "# comment", " ", "  ", "\t", "\u000B", "\f", "\r", "\n", "\r\n", "\0", "\u00A0", "\u2003",
            "\u0085", "\u2028", "\uFEFF", "é", "中", "😀", "İnventory", "ınventory", "rm -rf /", "$(reboot)",
            "`id`", "; shutdown /s", "| nc 10.0.0.1 4444", "../../etc/passwd", "C:\\Windows\\System32\\cmd.exe",
            "%SYSTEMROOT%", "{\"task_id\":1}", "inventory\u0000os", "x".repeat(1100));

    private static final byte[][] RAW_BYTES = {
        {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xC3, (byte) 0x28}, {(byte) 0xE2, (byte) 0x82},
        {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0x80},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {0}, {'\r'}, {'\n'}
    };

    private CommandsParser parser = new CommandsParser();

    @AfterTry
    void restoreDefaultParser() {
        parser = new CommandsParser();
    }

    @Property
    void anyBytesGiveCommandsAndRejectionsOrTheTypedError(@ForAll("hostileFiles") byte[] content) {
        Outcome outcome = parseWithin(content);

        int lineCount = lineCount(content);
        if (outcome.error != null) {
            assertThat(outcome.error.line()).isBetween(0, lineCount);
            assertThat(outcome.error.getMessage()).isNotBlank();
            return;
        }
        ParsedCommands parsed = outcome.parsed;
        assertThat(parsed.commands()).allSatisfy(command -> assertThat(command.line()).isBetween(1, lineCount));
        assertThat(parsed.commands()).extracting(InventoryCommand::line).isSorted().doesNotHaveDuplicates();
        assertThat(parsed.rejections()).hasSizeLessThanOrEqualTo(CommandsParser.MAX_REPORTED_REJECTIONS + 1);
        assertThat(parsed.rejections()).allSatisfy(rejection -> {
            assertThat(rejection.line()).isBetween(0, lineCount);
            assertThat(rejection.text().length()).isLessThanOrEqualTo(200);
            assertThat(rejection.reason()).isNotBlank();
        });
        List<Integer> rejectedLines = parsed.rejections().stream().map(Rejection::line).toList();
        assertThat(parsed.commands()).noneMatch(command -> rejectedLines.contains(command.line()));
    }

    @Property
    void renderedCommandsParseBackToTheSameCommands(@ForAll("commandFiles") GeneratedFile file) {
        Outcome outcome = parseWithin(file.bytes());

        assertThat(outcome.error).isNull();
        assertThat(outcome.parsed.rejections()).isEmpty();
        assertThat(outcome.parsed.commands()).containsExactlyElementsOf(file.expected());
    }

    @Property
    void aFileOverTheTaskLimitIsRefusedAtTheLineThatCrossesIt(@ForAll("commandFiles") GeneratedFile file) {
        int maxTasks = Math.max(1, file.expected().size() - 1);
        parser = new CommandsParser(CommandsParser.DEFAULT_MAX_BYTES, CommandsParser.DEFAULT_MAX_LINE_LENGTH, maxTasks);

        Outcome outcome = parseWithin(file.bytes());

        if (file.expected().size() <= maxTasks) {
            assertThat(outcome.error).isNull();
            return;
        }
        assertThat(outcome.error).isNotNull();
        assertThat(outcome.error.reason()).isEqualTo(CommandsFileException.Reason.TOO_MANY_TASKS);
        assertThat(outcome.error.line()).isEqualTo(file.expected().get(maxTasks).line());
    }

    @Example
    void aFileOfOneMebibyteOfGarbageIsParsedWithBoundedRejections() {
        byte[] content = new byte[CommandsParser.DEFAULT_MAX_BYTES];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i % 7 == 6 ? '\n' : 0xC3);
        }

        Outcome outcome = parseWithin(content);

        assertThat(outcome.parsed.commands()).isEmpty();
        assertThat(outcome.parsed.rejections()).hasSize(CommandsParser.MAX_REPORTED_REJECTIONS + 1);
        assertThat(outcome.parsed.rejections().get(CommandsParser.MAX_REPORTED_REJECTIONS).reason())
                .contains("more lines were rejected");
    }

    @Example
    void oneLineOfOneMebibyteIsRejectedAsTooLong() {
        byte[] content = "inventory ".concat("os ".repeat(349_000)).getBytes(StandardCharsets.UTF_8);

        Outcome outcome = parseWithin(content);

        assertThat(outcome.parsed.commands()).isEmpty();
        assertThat(outcome.parsed.rejections()).singleElement()
                .satisfies(rejection -> assertThat(rejection.reason()).contains("the limit is 1024"));
    }

    @Example
    void aFileOneByteOverTheLimitIsRefusedAsAWhole() {
        byte[] content = new byte[CommandsParser.DEFAULT_MAX_BYTES + 1];
        Arrays.fill(content, (byte) '\n');

        Outcome outcome = parseWithin(content);

        assertThat(outcome.error.reason()).isEqualTo(CommandsFileException.Reason.COMMANDS_TOO_LARGE);
        assertThat(outcome.error.line()).isZero();
    }

    @Provide
    Arbitrary<byte[]> hostileFiles() {
        Arbitrary<byte[]> tokenSoup = Arbitraries.oneOf(
                        Arbitraries.of(TOKENS).map(token -> token.getBytes(StandardCharsets.UTF_8)),
                        Arbitraries.of(RAW_BYTES))
                .list().ofMaxSize(200)
                .map(CommandsParserFuzzTest::concat);
        Arbitrary<byte[]> randomBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(4096);
        Arbitrary<byte[]> randomText = Arbitraries.strings().all().ofMaxLength(2048)
                .map(text -> text.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(
                Tuple.of(5, tokenSoup),
                Tuple.of(2, randomBytes),
                Tuple.of(2, randomText));
    }

    @Provide
    Arbitrary<GeneratedFile> commandFiles() {
        Arbitrary<Line> command = Combinators.combine(
                        Arbitraries.of(Section.values()).list().ofMaxSize(5),
                        Arbitraries.of(" ", "\t", "  ", " \t "),
                        Arbitraries.of("", " ", "\t", "  "),
                        Arbitraries.of("", " # trailing", "\t#x", " #inventory os"),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE))
                .as((sections, gap, indent, comment, caseSeed) -> Line.command(sections, gap, indent, comment,
                        caseSeed));
        Arbitrary<Line> other = Arbitraries.of(
                Line.skipped(""), Line.skipped("   "), Line.skipped("# a comment"), Line.skipped("\t#inventory"),
                Line.skipped("#"), Line.skipped("  # é 中 😀"));
        return Combinators.combine(
                        Arbitraries.frequencyOf(Tuple.of(3, command), Tuple.of(1, other))
                                .list().ofMaxSize(60),
                        Arbitraries.of("\n", "\r\n"),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false))
                .as(GeneratedFile::render);
    }

    private Outcome parseWithin(byte[] content) {
        return assertTimeoutPreemptively(PER_INPUT, () -> {
            try {
                return new Outcome(parser.parse(content), null);
            } catch (CommandsFileException e) {
                return new Outcome(null, e);
            }
        });
    }

    private static int lineCount(byte[] content) {
        int start = content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF ? 3 : 0;
        if (start == content.length) {
            return 0;
        }
        int lines = 1;
        for (int i = start; i < content.length - 1; i++) {
            if (content[i] == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private record Outcome(ParsedCommands parsed, CommandsFileException error) {
    }

    /** One line of a generated file: its text, and the sections it asks for when it is a command. */
    private record Line(String text, Set<Section> sections) {

        static Line skipped(String text) {
            return new Line(text, null);
        }

        static Line command(List<Section> sections, String gap, String indent, String comment, int caseSeed) {
            StringBuilder text = new StringBuilder(indent).append(randomCase("inventory", caseSeed));
            int shift = 9;
            for (Section section : sections) {
                text.append(gap).append(randomCase(section.wireName(), caseSeed >>> (shift++ % 31)));
            }
            return new Line(text.append(comment).toString(), new LinkedHashSet<>(sections));
        }

        private static String randomCase(String word, int seed) {
            StringBuilder cased = new StringBuilder();
            for (int i = 0; i < word.length(); i++) {
                String letter = word.substring(i, i + 1);
                cased.append((seed >>> (i % 31) & 1) == 1 ? letter.toUpperCase(Locale.ROOT) : letter);
            }
            return cased.toString();
        }
    }

    /** A rendered commands file and the commands it must parse to. */
    private record GeneratedFile(byte[] bytes, List<InventoryCommand> expected) {

        static GeneratedFile render(List<Line> lines, String lineEnd, boolean byteOrderMark, boolean finalLineEnd) {
            StringBuilder text = new StringBuilder(byteOrderMark ? "\uFEFF" : "");
            List<InventoryCommand> expected = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                text.append(line.text());
                if (i < lines.size() - 1 || finalLineEnd) {
                    text.append(lineEnd);
                }
                if (line.sections() != null) {
                    expected.add(new InventoryCommand(i + 1, line.sections()));
                }
            }
            return new GeneratedFile(text.toString().getBytes(StandardCharsets.UTF_8), expected);
        }

        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n\n");
        }
    }
}

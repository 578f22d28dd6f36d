package io.inventory.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandsParserTest {

    private final CommandsParser parser = new CommandsParser();

    @Nested
    class AcceptedLines {

        @Test
        void inventoryLineBecomesOneTaskForEverySection() throws Exception {
            ParsedCommands parsed = parser.parse("inventory\n");

            assertThat(parsed.commands()).containsExactly(new InventoryCommand(1, Set.of()));
            assertThat(parsed.rejections()).isEmpty();
        }

        @Test
        void sectionsAfterInventoryLimitTheTask() throws Exception {
            ParsedCommands parsed = parser.parse("inventory os PROGRAMS os\n");

            assertThat(parsed.commands()).singleElement()
                    .satisfies(command -> assertThat(command.sections()).containsExactlyInAnyOrder(
                            Section.OS, Section.PROGRAMS));
        }

        @Test
        void commandsAreTrimmedAndCaseInsensitive() throws Exception {
            ParsedCommands parsed = parser.parse("   InVentory  \t\n\tINVENTORY host");

            assertThat(parsed.commands()).extracting(InventoryCommand::line).containsExactly(1, 2);
        }

        @Test
        void blankLinesAndCommentsAreSkippedButStillCounted() throws Exception {
            ParsedCommands parsed = parser.parse("# weekly run\n\n   \ninventory # all sections\n");

            assertThat(parsed.commands()).containsExactly(new InventoryCommand(4, Set.of()));
            assertThat(parsed.rejections()).isEmpty();
        }

        @Test
        void byteOrderMarkAndCrlfAreAccepted() throws Exception {
            byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            byte[] body = "inventory\r\ninventory os\r\n".getBytes(StandardCharsets.UTF_8);
            byte[] content = new byte[bom.length + body.length];
            System.arraycopy(bom, 0, content, 0, bom.length);
            System.arraycopy(body, 0, content, bom.length, body.length);

            ParsedCommands parsed = parser.parse(content);

            assertThat(parsed.commands()).extracting(InventoryCommand::line).containsExactly(1, 2);
            assertThat(parsed.commands().get(1).sections()).containsExactly(Section.OS);
        }

        @Test
        void emptyFileHasNothingToQueueAndNothingRejected() throws Exception {
            ParsedCommands parsed = parser.parse(new byte[0]);

            assertThat(parsed.commands()).isEmpty();
            assertThat(parsed.rejections()).isEmpty();
        }
    }

    @Nested
    class RejectedLines {

        @Test
        void unknownCommandIsRejectedWithItsLineAndTheRestIsKept() throws Exception {
            ParsedCommands parsed = parser.parse("inventory\nreboot now\ninventory os\n");

            assertThat(parsed.commands()).extracting(InventoryCommand::line).containsExactly(1, 3);
            assertThat(parsed.rejections()).singleElement().satisfies(rejection -> {
                assertThat(rejection.line()).isEqualTo(2);
                assertThat(rejection.text()).isEqualTo("reboot now");
                assertThat(rejection.reason()).contains("unknown command 'reboot'");
            });
        }

        @Test
        void unknownSectionRejectsTheWholeLine() throws Exception {
            ParsedCommands parsed = parser.parse("inventory os drivers\n");

            assertThat(parsed.commands()).isEmpty();
            assertThat(parsed.rejections()).singleElement().satisfies(rejection -> {
                assertThat(rejection.line()).isEqualTo(1);
                assertThat(rejection.reason()).contains("unknown section 'drivers'").contains("os, host, programs");
            });
        }

        @Test
        void invalidUtf8IsRejectedNotGuessed() throws Exception {
            byte[] content = {'i', 'n', 'v', 'e', 'n', 't', 'o', 'r', 'y', '\n', 'o', (byte) 0xC3, '(', '\n'};

            ParsedCommands parsed = parser.parse(content);

            assertThat(parsed.commands()).extracting(InventoryCommand::line).containsExactly(1);
            assertThat(parsed.rejections()).singleElement().satisfies(rejection -> {
                assertThat(rejection.line()).isEqualTo(2);
                assertThat(rejection.reason()).isEqualTo("is not valid UTF-8");
            });
        }

        @Test
        void nulByteIsRejectedWithItsColumn() throws Exception {
            byte[] content = "inventory\ninv\0entory\n".getBytes(StandardCharsets.UTF_8);

            ParsedCommands parsed = parser.parse(content);

            assertThat(parsed.rejections()).singleElement().satisfies(rejection -> {
                assertThat(rejection.line()).isEqualTo(2);
                assertThat(rejection.reason()).contains("NUL byte at column 4");
                assertThat(rejection.text()).doesNotContain("\0");
            });
        }

        @Test
        void overlongLineIsRejectedAndShortenedForDisplay() throws Exception {
            CommandsParser small = new CommandsParser(1024 * 1024, 300, 10);

            ParsedCommands parsed = small.parse("inventory " + "os ".repeat(200) + "\n");

            assertThat(parsed.rejections()).singleElement().satisfies(rejection -> {
                assertThat(rejection.reason()).contains("the limit is 300");
                assertThat(rejection.text()).hasSize(200).endsWith("…");
            });
        }

        @Test
        void binaryFileReportsABoundedNumberOfRejections() throws Exception {
            byte[] content = new byte[20_000];
            for (int i = 0; i < content.length; i += 2) {
                content[i] = 0;
                content[i + 1] = '\n';
            }

            ParsedCommands parsed = parser.parse(content);

            assertThat(parsed.commands()).isEmpty();
            assertThat(parsed.rejections()).hasSize(CommandsParser.MAX_REPORTED_REJECTIONS + 1);
            assertThat(parsed.rejections().get(CommandsParser.MAX_REPORTED_REJECTIONS).reason())
                    .isEqualTo("9000 more lines were rejected and are not listed");
        }
    }

    @Nested
    class FileLimits {

        @Test
        void fileOverTheByteLimitIsRefusedWhole() {
            CommandsParser small = new CommandsParser(64, 100, 10);

            assertThatThrownBy(() -> small.parse("inventory\n".repeat(7)))
                    .isInstanceOfSatisfying(CommandsFileException.class, e -> {
                        assertThat(e.reason()).isEqualTo(CommandsFileException.Reason.COMMANDS_TOO_LARGE);
                        assertThat(e.getMessage()).contains("70 bytes").contains("limit is 64");
                    });
        }

        @Test
        void tooManyTasksNamesTheFirstLineOverTheLimit() {
            CommandsParser small = new CommandsParser(1024, 100, 3);

            assertThatThrownBy(() -> small.parse("inventory\n# skip\ninventory\ninventory\ninventory\ninventory\n"))
                    .isInstanceOfSatisfying(CommandsFileException.class, e -> {
                        assertThat(e.reason()).isEqualTo(CommandsFileException.Reason.TOO_MANY_TASKS);
                        assertThat(e.line()).isEqualTo(5);
                        assertThat(e.getMessage()).startsWith("line 5: more than 3 inventory tasks");
                    });
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1})
        void limitsMustBePositive(int limit) {
            assertThatThrownBy(() -> new CommandsParser(limit, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

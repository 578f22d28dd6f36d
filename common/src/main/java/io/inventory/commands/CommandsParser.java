package io.inventory.commands;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The commands-file grammar, shared by the gateway and the standalone agent.
 *
 * <p>UTF-8, with or without a byte order mark, LF or CRLF line ends. One command per line, trimmed and
 * case-insensitive; blank lines and lines starting with {@code #} are skipped, and {@code #} after whitespace starts
 * a trailing comment. {@code inventory} queues one task for every section; {@code inventory os programs} limits the
 * task to the sections named. Every other line is rejected with its number and the reason, and the rest of the file
 * is still accepted. Bytes are never guessed at: a line with invalid UTF-8 or a NUL byte is rejected.
 */
public final class CommandsParser {

    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_LINE_LENGTH = 1024;
    public static final int DEFAULT_MAX_TASKS = 10_000;

    /** Past this many rejected lines the rest are counted in one summary entry, so a binary file stays cheap. */
    public static final int MAX_REPORTED_REJECTIONS = 1000;

    static final String COMMAND_INVENTORY = "inventory";
    private static final int DISPLAY_LENGTH = 200;
    private static final String KNOWN_SECTIONS =
            Stream.of(Section.values()).map(Section::wireName).collect(Collectors.joining(", "));

    private final int maxBytes;
    private final int maxLineLength;
    private final int maxTasks;

    public CommandsParser() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_TASKS);
    }

    /**
     * @param maxBytes      largest accepted file, in bytes
     * @param maxLineLength longest accepted line, in characters after trimming
     * @param maxTasks      most inventory tasks one file may queue
     */
    public CommandsParser(int maxBytes, int maxLineLength, int maxTasks) {
        if (maxBytes <= 0 || maxLineLength <= 0 || maxTasks <= 0) {
            throw new IllegalArgumentException("commands limits must be positive");
        }
        this.maxBytes = maxBytes;
        this.maxLineLength = maxLineLength;
        this.maxTasks = maxTasks;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** Parses text that is already decoded, such as inline commands in a request. */
    public ParsedCommands parse(String text) throws CommandsFileException {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses the raw bytes of a commands file.
     *
     * @throws CommandsFileException when the file is larger than the limit or asks for too many tasks
     */
    public ParsedCommands parse(byte[] content) throws CommandsFileException {
        if (content.length > maxBytes) {
            throw new CommandsFileException(CommandsFileException.Reason.COMMANDS_TOO_LARGE, 0,
                    "the commands file is " + content.length + " bytes; the limit is " + maxBytes);
        }

        List<InventoryCommand> commands = new ArrayList<>();
        Rejections rejections = new Rejections();
        int start = hasByteOrderMark(content) ? 3 : 0;
        int lineNumber = 0;
        while (start < content.length) {
            int end = indexOf(content, (byte) '\n', start);
            lineNumber++;
            parseLine(content, start, end, lineNumber, commands, rejections);
            if (commands.size() > maxTasks) {
                throw new CommandsFileException(CommandsFileException.Reason.TOO_MANY_TASKS, lineNumber,
                        "more than " + maxTasks + " inventory tasks in one run");
            }
            start = end + 1;
        }

        return new ParsedCommands(commands, rejections.list());
    }

    private void parseLine(byte[] content, int start, int end, int lineNumber,
                           List<InventoryCommand> commands, Rejections rejections) {
        int length = end - start;
        if (length > 0 && content[end - 1] == '\r') {
            length--;
        }

        int nul = indexOf(content, (byte) 0, start, start + length);
        if (nul >= 0) {
            rejections.add(lineNumber, display(content, start, length),
                    "contains a NUL byte at column " + (nul - start + 1) + "; commands files are text");
            return;
        }

        String line;
        try {
            line = strictUtf8().decode(ByteBuffer.wrap(content, start, length)).toString().strip();
        } catch (CharacterCodingException e) {
            rejections.add(lineNumber, display(content, start, length), "is not valid UTF-8");
            return;
        }

        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        if (line.length() > maxLineLength) {
            rejections.add(lineNumber, line,
                    "is " + line.length() + " characters long; the limit is " + maxLineLength);
            return;
        }

        List<String> words = words(line);
        String command = words.get(0).toLowerCase(Locale.ROOT);
        if (!command.equals(COMMAND_INVENTORY)) {
            rejections.add(lineNumber, line, "unknown command '" + words.get(0) + "'; only 'inventory' is queued");
            return;
        }

        Set<Section> sections = new LinkedHashSet<>();
        for (String word : words.subList(1, words.size())) {
            var section = Section.fromName(word);
            if (section.isEmpty()) {
                rejections.add(lineNumber, line, "unknown section '" + word + "'; known sections: " + KNOWN_SECTIONS);
                return;
            }
            sections.add(section.get());
        }
        commands.add(new InventoryCommand(lineNumber, sections));
    }

    /** Splits on whitespace and drops a trailing comment. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        for (String word : line.split("\\s+")) {
            if (word.startsWith("#")) {
                break;
            }
            words.add(word);
        }
        return words;
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static String display(byte[] content, int start, int length) {
        String lenient = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(content, start, length)).toString();
        StringBuilder printable = new StringBuilder();
        lenient.strip().codePoints().forEach(c -> printable.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return printable.toString();
    }

    private static boolean hasByteOrderMark(byte[] content) {
        return content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF;
    }

    private static int indexOf(byte[] content, byte value, int from) {
        int found = indexOf(content, value, from, content.length);
        return found < 0 ? content.length : found;
    }

    private static int indexOf(byte[] content, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (content[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** Collects rejections, keeping the first {@link #MAX_REPORTED_REJECTIONS} and counting the rest. */
    private static final class Rejections {
        private final List<Rejection> kept = new ArrayList<>();
        private int dropped;

        void add(int line, String text, String reason) {
            if (kept.size() < MAX_REPORTED_REJECTIONS) {
                kept.add(new Rejection(line, shorten(text), reason));
            } else {
                dropped++;
            }
        }

        List<Rejection> list() {
            if (dropped == 0) {
                return kept;
            }
            List<Rejection> all = new ArrayList<>(kept);
            all.add(new Rejection(0, "", dropped + " more lines were rejected and are not listed"));
            return all;
        }

        private static String shorten(String text) {
            if (text.length() <= DISPLAY_LENGTH) {
                return text;
            }
            return text.substring(0, DISPLAY_LENGTH - 1) + "…";
        }
    }
}

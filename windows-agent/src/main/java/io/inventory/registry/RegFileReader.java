package io.inventory.registry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads regedit exports ({@code Windows Registry Editor Version 5.00} in UTF-16LE, {@code REGEDIT4} in ANSI or
 * UTF-8) line by line into a {@link KeyTree}, keeping only the keys a {@link KeySelection} names. Memory stays
 * bounded by the kept keys and one line, whatever the file size; every line is still checked, so a malformed
 * file fails with its line number even where nothing is kept.
 */
final class RegFileReader {

    static final String HEADER_V5 = "Windows Registry Editor Version 5.00";
    static final String HEADER_V4 = "REGEDIT4";

    /** Longest physical line accepted; regedit wraps binary data near 80 columns and strings rarely exceed this. */
    static final int MAX_LINE_CHARS = 4 * 1024 * 1024;

    /** Largest value kept; a bigger one in a kept key is more likely a corrupt file than inventory data. */
    static final int MAX_VALUE_BYTES = 16 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RegFileReader.class);

    private static final Charset ANSI = Charset.forName("windows-1252");

    private static final String ROOTS = "a key under HKEY_LOCAL_MACHINE, HKEY_USERS, HKEY_CURRENT_USER, "
            + "HKEY_CLASSES_ROOT or HKEY_CURRENT_CONFIG";

    private final Path file;
    private final KeyTree tree;
    private final KeySelection selection;

    private RegLineReader lines;
    private Charset textCharset;

    private boolean inKey;
    private KeyTree.Node keptKey;
    private long keyCount;
    private long keptCount;

    private RegFileReader(Path file, KeyTree tree, KeySelection selection) {
        this.file = file;
        this.tree = tree;
        this.selection = selection;
    }

    /** Reads the files in order into one registry; a later file's keys, values and deletions win. */
    static KeyTree read(List<Path> files, KeySelection selection) throws RegFileException {
        String description = files.stream().map(Path::toString).collect(Collectors.joining(", ", ".reg export ", ""));
        KeyTree tree = new KeyTree(description);
        for (Path file : files) {
            new RegFileReader(file, tree, selection).readFile();
        }
        return tree;
    }

    private void readFile() throws RegFileException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Charset charset = detectCharset(in);
            try (Reader reader = new StrictDecodingReader(in, charset)) {
                lines = new RegLineReader(reader, MAX_LINE_CHARS);
                parse(charset);
            }
        } catch (RegLineReader.LineTooLongException e) {
            throw new RegFileException(file, e.line(), "a line of at most " + MAX_LINE_CHARS + " characters",
                    "a longer line");
        } catch (CharacterCodingException e) {
            throw new RegFileException(file, lines == null ? 1 : lines.lineNumber() + 1,
                    "text in the file's encoding", "bytes that do not decode (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new RegFileException(file, "cannot read: " + e, e);
        }
        LOG.info("Read registry export {}: {} keys, {} kept", file, keyCount, keptCount);
    }

    /**
     * The charset from the byte-order mark; without one, UTF-16LE when the second byte is NUL (ASCII text),
     * else UTF-8 when the whole file decodes as UTF-8, else the ANSI code page regedit 4 wrote.
     */
    private Charset detectCharset(InputStream in) throws IOException {
        in.mark(4);
        int b0 = in.read();
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b0 == 0xFF && b1 == 0xFE) {
            in.skipNBytes(2);
            return StandardCharsets.UTF_16LE;
        }
        if (b0 == 0xFE && b1 == 0xFF) {
            in.skipNBytes(2);
            return StandardCharsets.UTF_16BE;
        }
        if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
            in.skipNBytes(3);
            return StandardCharsets.UTF_8;
        }
        if (b0 > 0 && b1 == 0) {
            return StandardCharsets.UTF_16LE;
        }
        return isUtf8(file) ? StandardCharsets.UTF_8 : ANSI;
    }

    private static boolean isUtf8(Path path) throws IOException {
        char[] buffer = new char[8192];
        try (Reader reader = new StrictDecodingReader(Files.newInputStream(path), StandardCharsets.UTF_8)) {
            while (reader.read(buffer) >= 0) {
                // Decoding is the check.
            }
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private void parse(Charset charset) throws IOException, RegFileException {
        String header = lines.next();
        if (header == null) {
            throw error(1, "the header \"" + HEADER_V5 + "\" or \"" + HEADER_V4 + "\"", "an empty file");
        }
        String trimmedHeader = header.strip();
        if (trimmedHeader.equals(HEADER_V5)) {
            textCharset = StandardCharsets.UTF_16LE;
        } else if (trimmedHeader.equals(HEADER_V4)) {
            // REGEDIT4 string data in hex form is in the file's own (single-byte) code page.
            textCharset = charset.equals(StandardCharsets.UTF_8) || charset.equals(ANSI) ? charset : ANSI;
        } else {
            throw error(1, "the header \"" + HEADER_V5 + "\" or \"" + HEADER_V4 + "\"", quote(trimmedHeader));
        }

        String line;
        while ((line = lines.next()) != null) {
            parseLine(line.strip());
        }
    }

    private void parseLine(String line) throws IOException, RegFileException {
        if (line.isEmpty() || line.startsWith(";")) {
            return;
        }
        if (line.startsWith("[")) {
            parseKeyLine(line);
            return;
        }
        if (line.startsWith("\"") || line.startsWith("@")) {
            if (!inKey) {
                throw error(lines.lineNumber(), "a [KEY] line before the first value", quote(line));
            }
            parseValueLine(line);
            return;
        }
        throw error(lines.lineNumber(), "a [KEY] line, a \"name\"=value line, an @=value line, a ; comment "
                + "or a blank line", quote(line));
    }

    private void parseKeyLine(String line) throws RegFileException {
        int close = line.lastIndexOf(']');
        if (close < 0) {
            throw error(lines.lineNumber(), "\"]\" at the end of the key line", quote(line));
        }
        boolean delete = line.startsWith("[-");
        String name = line.substring(delete ? 2 : 1, close);
        List<String> segments = RegistryKey.segments(name);
        Hive hive = segments.isEmpty() ? null : Hive.fromName(segments.get(0)).orElse(null);
        if (hive == null) {
            throw error(lines.lineNumber(), ROOTS, quote(name));
        }
        List<String> path = segments.subList(1, segments.size());

        keyCount++;
        inKey = true;
        if (delete) {
            tree.deleteKey(hive, path);
            keptKey = null;
            return;
        }
        if (selection.keeps(hive, path)) {
            keptKey = tree.createKey(hive, path);
            keptCount++;
        } else {
            keptKey = null;
        }
    }

    private void parseValueLine(String line) throws IOException, RegFileException {
        int lineNumber = lines.lineNumber();
        Cursor cursor = new Cursor(line, lineNumber);

        String name;
        if (cursor.peek() == '@') {
            cursor.advance();
            name = "";
        } else {
            name = readQuoted(cursor, "value name");
        }
        cursor.skipSpaces();
        if (cursor.atEnd() || cursor.peek() != '=') {
            throw error(lineNumber, "\"=\" after the value name", cursor.rest());
        }
        cursor.advance();
        cursor.skipSpaces();

        RegistryValue value = readData(name, cursor);
        if (keptKey == null) {
            return;
        }
        if (value == null) {
            keptKey.removeValue(name);
        } else {
            keptKey.putValue(value);
        }
    }

    /** The value the data describes, or null for a deletion ({@code "name"=-}). */
    private RegistryValue readData(String name, Cursor cursor) throws IOException, RegFileException {
        String rest = cursor.rest();
        if (rest.startsWith("\"")) {
            String text = readQuoted(cursor, "string data");
            expectEnd(cursor);
            return RegistryValue.ofString(name, text);
        }
        if (rest.equals("-")) {
            return null;
        }
        if (startsWithIgnoreCase(rest, "dword:")) {
            return RegistryValue.ofDword(name, parseDword(rest.substring(6).strip(), cursor.lineNumber));
        }
        if (startsWithIgnoreCase(rest, "hex:")) {
            byte[] bytes = readHex(rest.substring(4), cursor.lineNumber);
            return bytes == null ? placeholder(name) : RegistryValue.ofBytes(name, RegistryValueType.BINARY, bytes);
        }
        if (startsWithIgnoreCase(rest, "hex(")) {
            int close = rest.indexOf("):");
            if (close < 0) {
                throw error(cursor.lineNumber, "hex(N): with a hexadecimal type number N", quote(rest));
            }
            String typeNumber = rest.substring(4, close);
            if (typeNumber.isEmpty() || typeNumber.length() > 8 || !isHex(typeNumber)) {
                throw error(cursor.lineNumber, "hex(N): with a hexadecimal type number N", quote(rest));
            }
            RegistryValueType type = RegistryValueType.fromCode(Long.parseLong(typeNumber, 16));
            byte[] bytes = readHex(rest.substring(close + 2), cursor.lineNumber);
            return bytes == null ? placeholder(name) : RawValueDecoder.decode(name, type, bytes, textCharset);
        }
        throw error(cursor.lineNumber, "\"string\", dword:, hex:, hex(N): or - after \"=\"", quote(rest));
    }

    /** Values of keys that are not kept are checked but not decoded; this stands in for them. */
    private static RegistryValue placeholder(String name) {
        return RegistryValue.ofBytes(name, RegistryValueType.NONE, new byte[0]);
    }

    private long parseDword(String digits, int lineNumber) throws RegFileException {
        if (digits.isEmpty() || digits.length() > 8 || !isHex(digits)) {
            throw error(lineNumber, "dword: followed by 1 to 8 hexadecimal digits", quote("dword:" + digits));
        }
        return Long.parseLong(digits, 16);
    }

    /**
     * Reads comma-separated hex bytes, following {@code \} continuations onto the next lines. Returns null (after
     * checking every byte) when the current key is not kept, so that skipped data costs no memory.
     */
    private byte[] readHex(String firstPart, int firstLine) throws IOException, RegFileException {
        ByteSink sink = keptKey == null ? null : new ByteSink();
        String part = firstPart;
        int lineNumber = firstLine;
        while (true) {
            String data = part.strip();
            boolean continues = data.endsWith("\\");
            if (continues) {
                data = data.substring(0, data.length() - 1).strip();
            }
            parseHexBytes(data, continues, lineNumber, sink);
            if (!continues) {
                break;
            }
            String next = lines.next();
            if (next == null) {
                throw error(lineNumber + 1, "a continuation line of hex bytes after the trailing \"\\\"",
                        "the end of the file");
            }
            lineNumber = lines.lineNumber();
            part = next;
        }
        return sink == null ? null : sink.toByteArray();
    }

    private void parseHexBytes(String data, boolean continues, int lineNumber, ByteSink sink)
            throws RegFileException {
        if (data.isEmpty()) {
            return;
        }
        String[] tokens = data.split(",", -1);
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i].strip();
            boolean last = i == tokens.length - 1;
            // A trailing comma is how regedit ends a line that continues.
            if (token.isEmpty() && last && continues) {
                break;
            }
            if (token.isEmpty() || token.length() > 2 || !isHex(token)) {
                throw error(lineNumber, "hex bytes as two hexadecimal digits separated by commas",
                        quote(token.isEmpty() ? data : token));
            }
            if (sink != null) {
                if (sink.size() >= MAX_VALUE_BYTES) {
                    throw error(lineNumber, "a value of at most " + MAX_VALUE_BYTES + " bytes", "a larger value");
                }
                sink.write(Integer.parseInt(token, 16));
            }
        }
    }

    /**
     * A quoted string with regedit's escapes: {@code \\} and {@code \"}; {@code \n} and {@code \r} as Wine's
     * regedit writes them.
     */
    private String readQuoted(Cursor cursor, String what) throws RegFileException {
        if (cursor.atEnd() || cursor.peek() != '"') {
            throw error(cursor.lineNumber, "a quoted " + what, cursor.rest());
        }
        cursor.advance();
        StringBuilder text = new StringBuilder();
        while (!cursor.atEnd()) {
            char c = cursor.next();
            if (c == '"') {
                return text.toString();
            }
            if (c != '\\') {
                text.append(c);
                continue;
            }
            if (cursor.atEnd()) {
                break;
            }
            char escaped = cursor.next();
            switch (escaped) {
                case '\\', '"' -> text.append(escaped);
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                default -> throw error(cursor.lineNumber, "\\\\, \\\" or \\n after a backslash in the " + what,
                        quote("\\" + escaped));
            }
        }
        throw error(cursor.lineNumber, "a closing quote at the end of the " + what, "the end of the line");
    }

    private void expectEnd(Cursor cursor) throws RegFileException {
        cursor.skipSpaces();
        if (!cursor.atEnd()) {
            throw error(cursor.lineNumber, "the end of the line after the closing quote", quote(cursor.rest()));
        }
    }

    private RegFileException error(int lineNumber, String expected, String found) {
        return new RegFileException(file, lineNumber, expected, found);
    }

    private static String quote(String text) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
        return "\"" + shown + "\"";
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** ASCII hex digits only, as regedit reads them; Character.digit would also take other scripts' digits. */
    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!HexFormat.isHexDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A position in one line. */
    private static final class Cursor {

        private final String line;
        private final int lineNumber;
        private int position;

        Cursor(String line, int lineNumber) {
            this.line = line;
            this.lineNumber = lineNumber;
        }

        boolean atEnd() {
            return position >= line.length();
        }

        char peek() {
            return line.charAt(position);
        }

        char next() {
            return line.charAt(position++);
        }

        void advance() {
            position++;
        }

        void skipSpaces() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
                position++;
            }
        }

        String rest() {
            return line.substring(Math.min(position, line.length()));
        }
    }

    /** A growable byte array without the synchronisation of ByteArrayOutputStream. */
    private static final class ByteSink {

        private byte[] bytes = new byte[64];
        private int size;

        void write(int b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, size * 2);
            }
            bytes[size++] = (byte) b;
        }

        int size() {
            return size;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}

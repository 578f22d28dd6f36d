package io.inventory.registry;

import java.io.IOException;
import java.io.Reader;

/**
 * Splits text into lines (CRLF, LF or CR) and counts them, refusing a line longer than a limit so that one
 * pathological line cannot exhaust memory the way {@code BufferedReader.readLine} would.
 */
final class RegLineReader {

    private final Reader reader;
    private final int maxLineChars;
    private final char[] buffer = new char[1 << 15];
    private int position;
    private int limit;
    private int lineNumber;
    private boolean pendingCarriageReturn;

    RegLineReader(Reader reader, int maxLineChars) {
        this.reader = reader;
        this.maxLineChars = maxLineChars;
    }

    /** The next line without its terminator, or null at the end of the text. */
    String next() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (position == limit) {
                limit = reader.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (line == null) {
                        return null;
                    }
                    lineNumber++;
                    return line.toString();
                }
            }
            if (pendingCarriageReturn) {
                pendingCarriageReturn = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            if (line == null) {
                line = new StringBuilder(Math.max(16, position - start));
            }
            if (line.length() + position - start > maxLineChars) {
                throw new LineTooLongException(lineNumber + 1);
            }
            line.append(buffer, start, position - start);
            if (position < limit) {
                pendingCarriageReturn = buffer[position] == '\r';
                position++;
                lineNumber++;
                return line.toString();
            }
        }
    }

    /** The 1-based number of the line last returned. */
    int lineNumber() {
        return lineNumber;
    }

    /** A line over the limit. */
    static final class LineTooLongException extends IOException {

        private final int line;

        LineTooLongException(int line) {
            super("line " + line + " is too long");
            this.line = line;
        }

        int line() {
            return line;
        }
    }
}

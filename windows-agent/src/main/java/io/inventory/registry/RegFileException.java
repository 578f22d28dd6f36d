package io.inventory.registry;

import java.nio.file.Path;

/**
 * A .reg file that cannot be read or does not follow the format, with the file, the 1-based line number
 * (0 when the problem is not on a line, such as an unreadable file) and what was expected there.
 */
public final class RegFileException extends Exception {

    private final Path file;
    private final int line;
    private final String expected;

    public RegFileException(Path file, int line, String expected, String found) {
        super(file + ":" + line + ": expected " + expected + (found == null ? "" : ", found " + found));
        this.file = file;
        this.line = line;
        this.expected = expected;
    }

    public RegFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.line = 0;
        this.expected = "a readable .reg file";
    }

    public Path file() {
        return file;
    }

    /** The 1-based line number, or 0 when the problem concerns the whole file. */
    public int line() {
        return line;
    }

    /** What the reader expected where it stopped, for example {@code "]" at the end of a key line}. */
    public String expected() {
        return expected;
    }
}

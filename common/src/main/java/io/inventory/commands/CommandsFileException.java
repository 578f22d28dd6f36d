package io.inventory.commands;

/** A commands file refused as a whole: too large, or asking for more tasks than one run may queue. */
public final class CommandsFileException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What made the file unacceptable; the names are the gateway's error codes. */
    public enum Reason {
        COMMANDS_TOO_LARGE,
        TOO_MANY_TASKS
    }

    private final Reason reason;
    private final int line;

    public CommandsFileException(Reason reason, int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.reason = reason;
        this.line = line;
    }

    public Reason reason() {
        return reason;
    }

    /** The 1-based line where the problem was found, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}

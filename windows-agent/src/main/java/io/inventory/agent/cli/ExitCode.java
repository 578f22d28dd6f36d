package io.inventory.agent.cli;

/** The agent's process exit codes; {@code inventory-agent --help} lists them, and scripts can rely on them. */
public enum ExitCode {
    OK(0, "Success: every task succeeded, or the command did what it was asked."),
    INTERNAL_ERROR(1, "Unexpected internal error (see the log)."),
    USAGE(2, "Bad arguments; the usage is printed."),
    REJECTED_LINES(3, "run: some commands-file lines were rejected; every accepted task succeeded."),
    TASKS_FAILED(4, "run/collect: a task ended partial, in error, or not started (stopped)."),
    COMMANDS_UNREADABLE(5, "run: the commands file is missing, unreadable or too large."),
    CONFIG_ERROR(6, "Invalid configuration (agent.properties, environment, flags), or a port or folder is unusable."),
    REGISTRY_FILE_INVALID(7, "A --registry-file is missing or malformed (the message has the file and line)."),
    OUTPUT_FAILED(8, "run: payload.json could not be written."),
    SERVICE_FAILED(9, "service: the Windows service operation failed, or this is not Windows.");

    private final int code;
    private final String description;

    ExitCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }
}

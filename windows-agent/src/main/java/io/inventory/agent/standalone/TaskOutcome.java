package io.inventory.agent.standalone;

/**
 * What became of one accepted task in a standalone run.
 *
 * @param status {@code ok}, {@code partial}, {@code error}, or {@code not_started} when a stop came first
 * @param detail the failed sections or the failure, empty when the task succeeded
 */
public record TaskOutcome(int line, String taskId, String status, String detail) {

    public static final String NOT_STARTED = "not_started";

    public boolean succeeded() {
        return "ok".equals(status);
    }
}

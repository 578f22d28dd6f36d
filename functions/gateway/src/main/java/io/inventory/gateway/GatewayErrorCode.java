package io.inventory.gateway;

/**
 * The machine-readable {@code error_code} values of a RunResponse. The names are the wire values; callers such as
 * the gRPC proxy map them to their own status codes.
 */
public enum GatewayErrorCode {
    /** The request itself is malformed: not JSON, or fields that cannot be used together. */
    INVALID_REQUEST,
    /** Nothing valid to queue: no inventory line, or every line rejected. */
    INVALID_COMMANDS,
    /** Every accepted line is queued, but some lines were rejected; the rejected lines say which. */
    LINES_REJECTED,
    COMMANDS_TOO_LARGE,
    TOO_MANY_TASKS,
    INVALID_RUN_ID,
    /** The {@code s3://} object or its bucket does not exist. */
    COMMANDS_NOT_FOUND,
    /** The gateway may not read the {@code s3://} object. */
    PERMISSION_DENIED,
    /** S3 could not be reached or failed while the commands were read; retrying may help. */
    COMMANDS_UNAVAILABLE,
    /** No task could be queued. */
    QUEUE_UNAVAILABLE,
    /** Some tasks are on the queue and some are not; the task list says exactly which. */
    PARTIAL_ENQUEUE,
    INTERNAL
}

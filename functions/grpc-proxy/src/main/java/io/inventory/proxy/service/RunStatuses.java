package io.inventory.proxy.service;

import com.google.protobuf.Any;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.inventory.proto.RejectedLine;
import io.inventory.proto.RunResponse;
import io.inventory.proto.TaskAssignment;

/**
 * Turns a gateway answer into what a gRPC caller gets: the RunResponse itself when tasks were queued and nothing
 * is left to retry, otherwise an error status carrying the RunResponse in its details.
 *
 * <p>Details travel in a trailer, and gRPC clients refuse trailers over 8 KiB by default, so a large RunResponse is
 * shortened to fit a byte budget: first the task ids and sections go (a task id is always
 * {@code <run_id>-L<line>}), then tasks and rejected lines past the budget, which a summary line counts.
 */
final class RunStatuses {

    /** Room left in an 8 KiB trailer after base64 (4/3) and the status message. */
    static final int DETAILS_BUDGET_BYTES = 4096;

    private static final int MAX_MESSAGE_LENGTH = 400;
    private static final int SUMMARY_RESERVE_BYTES = 256;

    private RunStatuses() {
    }

    /** The status code for a RunResponse's error_code; OK means the response itself is the answer. */
    static Status.Code codeFor(RunResponse response) {
        return switch (response.getErrorCode()) {
            case "", "LINES_REJECTED" -> Status.Code.OK;
            case "INVALID_REQUEST", "INVALID_COMMANDS", "COMMANDS_TOO_LARGE", "TOO_MANY_TASKS", "INVALID_RUN_ID" ->
                    Status.Code.INVALID_ARGUMENT;
            case "COMMANDS_NOT_FOUND" -> Status.Code.NOT_FOUND;
            case "PERMISSION_DENIED" -> Status.Code.PERMISSION_DENIED;
            case "QUEUE_UNAVAILABLE", "COMMANDS_UNAVAILABLE", "PARTIAL_ENQUEUE" -> Status.Code.UNAVAILABLE;
            default -> Status.Code.INTERNAL;
        };
    }

    /** An error status whose details hold {@code response}, shortened to fit a trailer. */
    static StatusRuntimeException error(Status.Code code, RunResponse response) {
        String message = response.getError().isEmpty() ? response.getErrorCode() : response.getError();
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(code.value())
                .setMessage(shorten(message))
                .addDetails(Any.pack(fit(response, DETAILS_BUDGET_BYTES)))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    static RunResponse fit(RunResponse response, int budgetBytes) {
        if (response.getSerializedSize() <= budgetBytes) {
            return response;
        }

        RunResponse.Builder compact = response.toBuilder().clearTasks();
        for (TaskAssignment task : response.getTasksList()) {
            compact.addTasks(TaskAssignment.newBuilder().setLine(task.getLine()).setQueued(task.getQueued()));
        }
        RunResponse compacted = compact.build();
        if (compacted.getSerializedSize() <= budgetBytes) {
            return compacted;
        }

        RunResponse.Builder shortened = response.toBuilder().clearTasks().clearRejected();
        // Each repeated entry costs its size plus a tag byte and a length of at most two bytes here.
        int size = shortened.build().getSerializedSize() + SUMMARY_RESERVE_BYTES;
        int omittedTasks = 0;
        int omittedLines = 0;
        for (TaskAssignment task : compacted.getTasksList()) {
            int cost = task.getSerializedSize() + 3;
            if (size + cost <= budgetBytes) {
                shortened.addTasks(task);
                size += cost;
            } else {
                omittedTasks++;
            }
        }
        for (RejectedLine line : response.getRejectedList()) {
            int cost = line.getSerializedSize() + 3;
            if (size + cost <= budgetBytes) {
                shortened.addRejected(line);
                size += cost;
            } else {
                omittedLines++;
            }
        }
        return shortened.addRejected(RejectedLine.newBuilder().setReason("details shortened to fit a gRPC trailer: "
                        + omittedTasks + " tasks and " + omittedLines + " rejected lines omitted; the tasks listed "
                        + "are in line order and a retry with run_id " + response.getRunId() + " is safe"))
                .build();
    }

    private static String shorten(String message) {
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH) + "…";
    }
}

package io.inventory.proxy.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.inventory.proto.RejectedLine;
import io.inventory.proto.RunResponse;
import io.inventory.proto.TaskAssignment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunStatusesTest {

    @ParameterizedTest
    @CsvSource({
        "'', OK",
        "LINES_REJECTED, OK",
        "INVALID_COMMANDS, INVALID_ARGUMENT",
        "COMMANDS_TOO_LARGE, INVALID_ARGUMENT",
        "TOO_MANY_TASKS, INVALID_ARGUMENT",
        "INVALID_RUN_ID, INVALID_ARGUMENT",
        "INVALID_REQUEST, INVALID_ARGUMENT",
        "COMMANDS_NOT_FOUND, NOT_FOUND",
        "PERMISSION_DENIED, PERMISSION_DENIED",
        "QUEUE_UNAVAILABLE, UNAVAILABLE",
        "COMMANDS_UNAVAILABLE, UNAVAILABLE",
        "PARTIAL_ENQUEUE, UNAVAILABLE",
        "INTERNAL, INTERNAL",
        "SOMETHING_NEWER, INTERNAL"
    })
    void everyGatewayErrorCodeMapsToItsStatus(String errorCode, Status.Code expected) {
        RunResponse response = RunResponse.newBuilder().setErrorCode(errorCode).build();

        assertThat(RunStatuses.codeFor(response)).isEqualTo(expected);
    }

    @Test
    void aSmallResponseTravelsWhole() {
        RunResponse response = partialEnqueue(5);

        assertThat(RunStatuses.fit(response, RunStatuses.DETAILS_BUDGET_BYTES)).isEqualTo(response);
    }

    @Test
    void aLargePartialEnqueueKeepsEveryLineAndQueuedFlagWhenIdsAreDropped() {
        RunResponse response = partialEnqueue(300);

        RunResponse fitted = RunStatuses.fit(response, RunStatuses.DETAILS_BUDGET_BYTES);

        assertThat(fitted.getSerializedSize()).isLessThanOrEqualTo(RunStatuses.DETAILS_BUDGET_BYTES);
        assertThat(fitted.getTasksList()).hasSize(300);
        assertThat(fitted.getTasksList()).extracting(TaskAssignment::getQueued)
                .containsExactlyElementsOf(response.getTasksList().stream().map(TaskAssignment::getQueued).toList());
        assertThat(fitted.getRunId()).isEqualTo("run-big");
    }

    @Test
    void aHugeResponseIsShortenedAndSaysWhatWasOmitted() {
        RunResponse.Builder huge = partialEnqueue(10_000).toBuilder();
        for (int line = 1; line <= 1000; line++) {
            huge.addRejected(RejectedLine.newBuilder().setLine(20_000 + line).setText("x".repeat(200))
                    .setReason("unknown command"));
        }

        RunResponse fitted = RunStatuses.fit(huge.build(), RunStatuses.DETAILS_BUDGET_BYTES);

        assertThat(fitted.getSerializedSize()).isLessThanOrEqualTo(RunStatuses.DETAILS_BUDGET_BYTES);
        assertThat(fitted.getRejected(fitted.getRejectedCount() - 1).getReason())
                .contains("tasks and").contains("omitted").contains("run-big");
        assertThat(fitted.getErrorCode()).isEqualTo("PARTIAL_ENQUEUE");
    }

    @Test
    void anErrorStatusCarriesTheResponseInItsDetails() throws Exception {
        RunResponse response = partialEnqueue(3);

        StatusRuntimeException error = RunStatuses.error(Status.Code.UNAVAILABLE, response);

        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDetails(0).unpack(RunResponse.class)).isEqualTo(response);
    }

    private static RunResponse partialEnqueue(int tasks) {
        RunResponse.Builder response = RunResponse.newBuilder().setRunId("run-big").setErrorCode("PARTIAL_ENQUEUE")
                .setError("some tasks are not queued");
        for (int line = 1; line <= tasks; line++) {
            response.addTasks(TaskAssignment.newBuilder().setTaskId("run-big-L" + line).setLine(line)
                    .setQueued(line % 3 != 0).addSections("os").addSections("programs"));
        }
        return response.build();
    }
}

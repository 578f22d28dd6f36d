package io.inventory.writer;

import static io.inventory.writer.ResultEvents.error;
import static io.inventory.writer.ResultEvents.ok;
import static io.inventory.writer.ResultEvents.osOnly;
import static io.inventory.writer.ResultEvents.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import io.inventory.codec.InvalidMessageException;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HostDocumentMergeTest {

    @Test
    void outcomeDoesNotDependOnDeliveryOrderOrBatching() throws Exception {
        List<ReceivedResult> results = List.of(
                received(ok("WS01", 1, "2026-12-03T10:00:00Z", 1)),
                received(error("WS01", 2, "2026-12-03T10:30:00Z", "COLLECTION_FAILED")),
                received(ok("WS01", 3, "2026-12-03T11:00:00Z", 3)),
                received(error("WS01", 4, "2026-12-03T12:00:00Z", "RESULT_TOO_LARGE")),
                received(ok("WS01", 5, "2026-12-03T11:30:00Z", 5)),
                received(error("WS01", 6, "2026-12-03T09:00:00Z", "INVALID_TASK")));

        InventoryDocument oneByOneInTimeOrder = mergedInEveryOrder(results, new Random(7));

        assertThat(oneByOneInTimeOrder.getTaskId()).isEqualTo(taskId(5));
        assertThat(oneByOneInTimeOrder.getLastError().getTaskId()).isEqualTo(taskId(4));
    }

    @Test
    void outcomeWithOsOnlyResultsDoesNotDependOnDeliveryOrderOrBatching() throws Exception {
        List<ReceivedResult> results = List.of(
                received(ok("WS01", 1, "2026-11-03T10:00:00Z", 7)),
                received(osOnly("WS01", 2, "2026-11-10T10:00:00Z", "Windows 11 Pro")),
                received(error("WS01", 3, "2026-11-12T10:00:00Z", "COLLECTION_FAILED")),
                received(osOnly("WS01", 4, "2026-11-17T10:00:00Z", "Windows 11 Enterprise")),
                received(ok("WS01", 5, "2026-11-01T10:00:00Z", 2)),
                received(osOnly("WS01", 6, "2026-11-03T10:00:00Z", "Windows 10 Pro")));

        InventoryDocument oneByOneInTimeOrder = mergedInEveryOrder(results, new Random(17));

        assertThat(oneByOneInTimeOrder.getTaskId()).isEqualTo(taskId(4));
        assertThat(oneByOneInTimeOrder.getOs().getProductName()).isEqualTo("Windows 11 Enterprise");
        assertThat(oneByOneInTimeOrder.getProgramsList()).as("the newest full inventory's programs").hasSize(7);
        assertThat(oneByOneInTimeOrder.getSectionCollectedAtMap()).containsEntry("programs", "2026-11-03T10:00:00Z");
        assertThat(oneByOneInTimeOrder.hasLastError()).as("cleared by the newer os-only inventory").isFalse();
    }

    /**
     * Merges the results one by one in time order, then checks that 100 random orders, with repeats and random
     * batches, give the same document; returns that document.
     */
    private static InventoryDocument mergedInEveryOrder(List<ReceivedResult> results, Random random) {
        InventoryDocument oneByOneInTimeOrder = null;
        for (ReceivedResult result : results.stream()
                .sorted((a, b) -> a.collectedAt().compareTo(b.collectedAt())).toList()) {
            oneByOneInTimeOrder = HostDocumentMerge.apply(oneByOneInTimeOrder, List.of(result));
        }

        for (int round = 0; round < 100; round++) {
            List<ReceivedResult> shuffled = new ArrayList<>(results);
            shuffled.addAll(results.subList(0, random.nextInt(results.size())));
            Collections.shuffle(shuffled, random);
            InventoryDocument document = null;
            for (int start = 0; start < shuffled.size(); ) {
                int end = Math.min(shuffled.size(), start + 1 + random.nextInt(3));
                document = HostDocumentMerge.apply(document, shuffled.subList(start, end));
                start = end;
            }

            assertThat(document).as("round %d: %s", round, shuffled.stream().map(ReceivedResult::taskId).toList())
                    .isEqualTo(oneByOneInTimeOrder);
        }
        return oneByOneInTimeOrder;
    }

    @Test
    void resultThatChangesNothingReturnsTheSameDocument() throws Exception {
        InventoryDocument current = HostDocumentMerge.apply(null,
                List.of(received(ok("WS01", 2, "2026-12-03T11:00:00Z", 2))));

        InventoryDocument after = HostDocumentMerge.apply(current, List.of(
                received(ok("WS01", 1, "2026-12-03T10:00:00Z", 1)),
                received(ok("WS01", 2, "2026-12-03T11:00:00Z", 2)),
                received(error("WS01", 3, "2026-12-03T10:30:00Z", "COLLECTION_FAILED"))));

        assertThat(after).isSameAs(current);
    }

    @Test
    void sameInstantIsSettledByTaskIdWhateverTheOrder() throws Exception {
        ReceivedResult first = received(ok("WS01", 1, "2026-12-03T10:00:00Z", 1));
        ReceivedResult second = received(ok("WS01", 2, "2026-12-03T11:00:00+01:00", 2));

        InventoryDocument forwards = HostDocumentMerge.apply(HostDocumentMerge.apply(null, List.of(first)),
                List.of(second));
        InventoryDocument backwards = HostDocumentMerge.apply(HostDocumentMerge.apply(null, List.of(second)),
                List.of(first));

        assertThat(forwards).isEqualTo(backwards);
        assertThat(forwards.getTaskId()).isEqualTo(taskId(2));
    }

    @Test
    void errorWithoutCodeIsRecordedWithPlaceholderCode() throws Exception {
        InventoryResult noCode = error("WS01", 1, "2026-12-03T10:00:00Z", "").toBuilder().clearErrorCode().build();

        InventoryDocument document = HostDocumentMerge.apply(null, List.of(received(noCode)));

        assertThat(document.getLastError().getCode()).isEqualTo(HostDocumentMerge.UNSPECIFIED_ERROR_CODE);
        assertThat(document.getLastError().getMessage()).isEqualTo(noCode.getErrorMessage());
    }

    private static ReceivedResult received(InventoryResult result) throws InvalidMessageException {
        return ReceivedResult.from(ResultEvents.message(result));
    }
}

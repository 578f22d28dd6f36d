package io.inventory.writer;

import io.inventory.proto.HostInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.LastError;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * How results change a host's document ({@code hosts/<host>/payload.json}). The rules make the outcome independent
 * of delivery order and of redelivery, which is what lets concurrent writers and an at-least-once queue agree:
 * <ul>
 *     <li>An inventory replaces the document's inventory only when it is newer: a later {@code collected_at}, or
 *     the same instant and a greater task id. An older or repeated result changes nothing.</li>
 *     <li>An error never replaces an inventory. When it is newer than the inventory and than any earlier error, it
 *     becomes {@code last_error}; a newer inventory clears it. A host with no inventory yet gets a document with
 *     status {@code error} and the {@code last_error}.</li>
 * </ul>
 */
final class HostDocumentMerge {

    static final String SCHEMA = "inventory/v1";
    static final String STATUS_ERROR = "error";
    static final String UNSPECIFIED_ERROR_CODE = "UNSPECIFIED";

    private static final Comparator<ReceivedResult> ORDER =
            Comparator.comparing(ReceivedResult::collectedAt).thenComparing(ReceivedResult::taskId);

    private HostDocumentMerge() {
    }

    /**
     * The document after {@code results}; {@code current} itself (possibly null) when none of them changes it.
     */
    static InventoryDocument apply(InventoryDocument current, List<ReceivedResult> results) {
        InventoryDocument document = current;
        for (ReceivedResult result : results.stream().sorted(ORDER).toList()) {
            document = result.isError() ? applyError(document, result) : applyInventory(document, result);
        }
        return document;
    }

    private static InventoryDocument applyInventory(InventoryDocument current, ReceivedResult received) {
        if (current != null && hasInventory(current)
                && !isAfter(received, Timestamps.parseStored(current.getCollectedAt()), current.getTaskId())) {
            return current;
        }

        InventoryResult result = received.result();
        InventoryDocument.Builder next = result.getInventory().toBuilder()
                .setCollectedAt(result.getCollectedAt())
                .setTaskId(result.getTaskId())
                .setRunId(result.getRunId())
                .clearLastError();
        if (next.getSchema().isEmpty()) {
            next.setSchema(SCHEMA);
        }
        if (next.getStatus().isEmpty()) {
            next.setStatus(ReceivedResult.STATUS_OK);
        }
        if (next.getHost().getName().isEmpty()) {
            next.setHost(next.getHost().toBuilder().setName(result.getHost()));
        }
        if (!next.hasAgent() && result.hasAgent()) {
            next.setAgent(result.getAgent());
        }

        // An error reported by a later task still stands beside this (older) inventory.
        if (current != null && current.hasLastError() && isAfter(current.getLastError(), received)) {
            next.setLastError(current.getLastError());
        }
        return next.build();
    }

    private static InventoryDocument applyError(InventoryDocument current, ReceivedResult received) {
        if (current != null && hasInventory(current)
                && !isAfter(received, Timestamps.parseStored(current.getCollectedAt()), current.getTaskId())) {
            return current;
        }
        if (current != null && current.hasLastError() && !isAfter(received,
                Timestamps.parseStored(current.getLastError().getAt()), current.getLastError().getTaskId())) {
            return current;
        }

        InventoryResult result = received.result();
        LastError lastError = LastError.newBuilder()
                .setCode(result.getErrorCode().isEmpty() ? UNSPECIFIED_ERROR_CODE : result.getErrorCode())
                .setMessage(result.getErrorMessage())
                .setAt(result.getCollectedAt())
                .setTaskId(result.getTaskId())
                .setRunId(result.getRunId())
                .build();
        if (current != null) {
            return current.toBuilder().setLastError(lastError).build();
        }

        InventoryDocument.Builder created = InventoryDocument.newBuilder()
                .setSchema(SCHEMA)
                .setHost(HostInfo.newBuilder().setName(result.getHost()))
                .setStatus(STATUS_ERROR)
                .setLastError(lastError);
        if (result.hasAgent()) {
            created.setAgent(result.getAgent());
        }
        return created.build();
    }

    /** An error-only document has no collection time: any inventory is better than none. */
    static boolean hasInventory(InventoryDocument document) {
        return !document.getCollectedAt().isEmpty();
    }

    private static boolean isAfter(ReceivedResult result, Instant at, String taskId) {
        int byTime = result.collectedAt().compareTo(at);
        return byTime > 0 || byTime == 0 && result.taskId().compareTo(taskId) > 0;
    }

    private static boolean isAfter(LastError error, ReceivedResult result) {
        int byTime = Timestamps.parseStored(error.getAt()).compareTo(result.collectedAt());
        return byTime > 0 || byTime == 0 && error.getTaskId().compareTo(result.taskId()) > 0;
    }
}

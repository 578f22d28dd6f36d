package io.inventory.writer;

import io.inventory.document.InventoryMerge;
import io.inventory.proto.InventoryDocument;
import java.util.List;

/**
 * How a batch of one host's results changes its document ({@code hosts/<host>/payload.json}): the section-aware
 * rules of {@link InventoryMerge}, shared with the agent's standalone mode. They make the outcome independent of
 * delivery order and of redelivery, which is what lets concurrent writers and an at-least-once queue agree.
 */
final class HostDocumentMerge {

    static final String UNSPECIFIED_ERROR_CODE = InventoryMerge.UNSPECIFIED_ERROR_CODE;

    private HostDocumentMerge() {
    }

    /**
     * The document after {@code results}; {@code current} itself (possibly null) when none of them changes it.
     */
    static InventoryDocument apply(InventoryDocument current, List<ReceivedResult> results) {
        return InventoryMerge.apply(current, results.stream().map(ReceivedResult::result).toList());
    }
}

package io.inventory.writer;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.MessageAttribute;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.inventory.codec.InvalidMessageException;
import io.inventory.codec.ProtoJson;
import io.inventory.commands.RunIds;
import io.inventory.document.Timestamps;
import io.inventory.proto.InventoryResult;
import io.inventory.queue.QueueMessageCodec;
import java.time.Instant;
import java.util.Map;

/**
 * One result from the result queue that passed validation: the message it came in, the decoded JSON exactly as
 * the agent sent it, the parsed result, its host key and the time that orders it against other results.
 *
 * @param messageId   the SQS message id, reported back when the message fails
 * @param json        the body after content decoding, stored unchanged under {@code runs/}
 * @param result      the parsed result
 * @param hostKey     the host's key segment
 * @param collectedAt the result's {@code collected_at}
 */
record ReceivedResult(String messageId, String json, InventoryResult result, HostKey hostKey, Instant collectedAt) {

    static final String STATUS_OK = "ok";
    static final String STATUS_ERROR = "error";

    /**
     * Decodes and validates one message.
     *
     * @throws InvalidMessageException naming the field at fault; such a message can never succeed
     */
    static ReceivedResult from(SQSMessage message) throws InvalidMessageException {
        String json = QueueMessageCodec.decodeToJson(message.getBody(), contentEncoding(message));
        InventoryResult result = ProtoJson.parse(json, InventoryResult.newBuilder());

        if (result.getTaskId().isEmpty()) {
            throw new InvalidMessageException("field task_id: missing");
        }
        if (!RunIds.isValidTaskId(result.getTaskId())) {
            throw new InvalidMessageException("field task_id: '" + result.getTaskId() + "' is not a task id");
        }
        if (result.getRunId().isEmpty()) {
            throw new InvalidMessageException("field run_id: missing");
        }
        if (!RunIds.isValidRunId(result.getRunId())) {
            throw new InvalidMessageException("field run_id: '" + result.getRunId() + "' is not a run id");
        }
        HostKey hostKey = HostKey.of(result.getHost());
        checkStatus(result);
        Instant collectedAt = Timestamps.parse("collected_at", result.getCollectedAt());
        for (Map.Entry<String, String> section : result.getInventory().getSectionCollectedAtMap().entrySet()) {
            Timestamps.parse("inventory.section_collected_at[" + section.getKey() + "]", section.getValue());
        }

        return new ReceivedResult(message.getMessageId(), json, result, hostKey, collectedAt);
    }

    String taskId() {
        return result.getTaskId();
    }

    String runId() {
        return result.getRunId();
    }

    boolean isError() {
        return STATUS_ERROR.equals(result.getStatus());
    }

    private static void checkStatus(InventoryResult result) throws InvalidMessageException {
        switch (result.getStatus()) {
            case STATUS_OK -> {
                if (!result.hasInventory()) {
                    throw new InvalidMessageException("field inventory: missing, and status is ok");
                }
            }
            case STATUS_ERROR -> {
                // An error without a code is still worth recording; the merge fills in a placeholder code.
            }
            case "" -> throw new InvalidMessageException("field status: missing");
            default -> throw new InvalidMessageException("field status: unknown value '" + result.getStatus()
                    + "', expected ok or error");
        }
    }

    private static String contentEncoding(SQSMessage message) {
        Map<String, MessageAttribute> attributes = message.getMessageAttributes();
        if (attributes == null) {
            return null;
        }
        MessageAttribute encoding = attributes.get(QueueMessageCodec.CONTENT_ENCODING);
        return encoding == null ? null : encoding.getStringValue();
    }
}

package io.inventory.writer;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.MessageAttribute;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.inventory.codec.ProtoJson;
import io.inventory.proto.AgentInfo;
import io.inventory.proto.HostInfo;
import io.inventory.proto.InventoryDocument;
import io.inventory.proto.InventoryResult;
import io.inventory.proto.OsInfo;
import io.inventory.proto.Program;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Results and SQS events shaped as the agent and the SQS event source mapping make them. */
final class ResultEvents {

    static final String RUN_ID = "run-20261203T164400Z-1a2b3c4d";

    private ResultEvents() {
    }

    /** An ok result with {@code programs} programs, collected at {@code collectedAt}. */
    static InventoryResult ok(String host, int line, String collectedAt, int programs) {
        InventoryDocument.Builder inventory = InventoryDocument.newBuilder()
                .setSchema("inventory/v1")
                .setHost(HostInfo.newBuilder().setName(host).setDomain("corp.example"))
                .setCollectedAt(collectedAt)
                .setStatus("ok")
                .setOs(OsInfo.newBuilder().setProductName("Windows 11 Pro").setCurrentBuild("22631").setUbr(4460));
        for (int i = 0; i < programs; i++) {
            inventory.addPrograms(Program.newBuilder().setName("Program " + i).setVersion("1." + i));
        }
        return InventoryResult.newBuilder()
                .setTaskId(taskId(line))
                .setRunId(RUN_ID)
                .setHost(host)
                .setStatus("ok")
                .setInventory(inventory)
                .setCollectedAt(collectedAt)
                .setAgent(AgentInfo.newBuilder().setVersion("0.1.0"))
                .build();
    }

    /** An ok result of {@code inventory os}: the document covers the OS and the host, and has no programs. */
    static InventoryResult osOnly(String host, int line, String collectedAt, String productName) {
        InventoryResult result = ok(host, line, collectedAt, 0);
        InventoryDocument.Builder inventory = result.getInventory().toBuilder()
                .setOs(result.getInventory().getOs().toBuilder().setProductName(productName))
                .putSectionCollectedAt("os", collectedAt)
                .putSectionCollectedAt("host", collectedAt);
        return result.toBuilder().setInventory(inventory).build();
    }

    static InventoryResult error(String host, int line, String collectedAt, String code) {
        return InventoryResult.newBuilder()
                .setTaskId(taskId(line))
                .setRunId(RUN_ID)
                .setHost(host)
                .setStatus("error")
                .setErrorCode(code)
                .setErrorMessage("registry read failed: access denied")
                .setCollectedAt(collectedAt)
                .build();
    }

    static String taskId(int line) {
        return RUN_ID + "-L" + line;
    }

    static SQSMessage message(InventoryResult result) {
        return message(ProtoJson.toJson(result), Map.of());
    }

    /** A message as the event source mapping delivers it, with a fresh message id. */
    static SQSMessage message(String body, Map<String, String> stringAttributes) {
        SQSMessage message = new SQSMessage();
        message.setMessageId(UUID.randomUUID().toString());
        message.setReceiptHandle("AQEB" + UUID.randomUUID());
        message.setBody(body);
        message.setEventSource("aws:sqs");
        message.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:inventory_results");
        message.setAwsRegion("us-east-1");
        message.setAttributes(Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1764780000000"));
        Map<String, MessageAttribute> attributes = new HashMap<>();
        stringAttributes.forEach((name, value) -> {
            MessageAttribute attribute = new MessageAttribute();
            attribute.setDataType("String");
            attribute.setStringValue(value);
            attributes.put(name, attribute);
        });
        message.setMessageAttributes(attributes);
        return message;
    }

    /** The same message delivered again: same id and body, as SQS redelivers after a failure. */
    static SQSMessage redelivery(SQSMessage original) {
        SQSMessage again = message(original.getBody(), Map.of());
        again.setMessageId(original.getMessageId());
        again.setMessageAttributes(original.getMessageAttributes());
        again.setAttributes(Map.of("ApproximateReceiveCount", "2", "SentTimestamp", "1764780000000"));
        return again;
    }

    static SQSEvent event(SQSMessage... messages) {
        return event(Arrays.asList(messages));
    }

    static SQSEvent event(List<SQSMessage> messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }
}

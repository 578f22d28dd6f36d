package io.inventory.agent.poll;

import io.inventory.agent.collect.TaskRequest;
import io.inventory.codec.InvalidMessageException;
import io.inventory.commands.RunIds;
import io.inventory.commands.Section;
import io.inventory.proto.InventoryTask;
import io.inventory.queue.QueueMessageCodec;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Turns a task queue message into a {@link TaskRequest}, checking every field the agent relies on. */
final class TaskDecoder {

    private TaskDecoder() {
    }

    static TaskRequest decode(Message message) throws InvalidTaskException {
        Map<String, MessageAttributeValue> attributes = message.messageAttributes();
        InventoryTask task;
        try {
            task = QueueMessageCodec.decode(message.body(), text(attributes, QueueMessageCodec.CONTENT_ENCODING),
                    InventoryTask.newBuilder());
        } catch (InvalidMessageException e) {
            throw new InvalidTaskException(e.getMessage(), e);
        }

        if (!RunIds.isValidRunId(task.getRunId())) {
            throw new InvalidTaskException("field run_id: '" + task.getRunId() + "' is not a valid run id");
        }
        if (!RunIds.isValidTaskId(task.getTaskId()) || !task.getTaskId().startsWith(task.getRunId() + "-L")) {
            throw new InvalidTaskException("field task_id: '" + task.getTaskId() + "' is not a task id of run "
                    + task.getRunId());
        }
        String attributeTaskId = text(attributes, "task_id");
        if (attributeTaskId != null && !attributeTaskId.equals(task.getTaskId())) {
            throw new InvalidTaskException("attribute task_id '" + attributeTaskId + "' differs from the body's '"
                    + task.getTaskId() + "'");
        }

        Set<Section> sections = EnumSet.noneOf(Section.class);
        for (int i = 0; i < task.getSectionsCount(); i++) {
            String name = task.getSections(i);
            int index = i;
            sections.add(Section.fromName(name).orElseThrow(() -> new InvalidTaskException(
                    "field sections[" + index + "]: unknown section '" + name + "'")));
        }
        return new TaskRequest(task.getRunId(), task.getTaskId(), sections);
    }

    private static String text(Map<String, MessageAttributeValue> attributes, String name) {
        MessageAttributeValue value = attributes.get(name);
        return value == null ? null : value.stringValue();
    }
}

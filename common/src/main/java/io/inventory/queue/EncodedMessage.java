package io.inventory.queue;

import java.util.Map;

/**
 * A message ready to send: its body and string attributes, and the sizes that went into choosing the encoding.
 *
 * @param body       the SQS message body
 * @param attributes string message attributes, including {@code content_encoding} when the body is compressed
 * @param jsonBytes  size of the JSON before any compression
 * @param sizeBytes  size as SQS counts it: body plus attribute names, types and values
 */
public record EncodedMessage(String body, Map<String, String> attributes, int jsonBytes, int sizeBytes) {

    public EncodedMessage {
        attributes = Map.copyOf(attributes);
    }

    public boolean compressed() {
        return QueueMessageCodec.GZIP_BASE64.equals(attributes.get(QueueMessageCodec.CONTENT_ENCODING));
    }
}

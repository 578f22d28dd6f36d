package io.inventory.queue;

import com.google.protobuf.Message;
import io.inventory.codec.InvalidMessageException;
import io.inventory.codec.ProtoJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Encodes and decodes every queue body, and is the one place that keeps messages under the queue's size limit.
 *
 * <p>A body is the message's proto3 JSON. Above {@code compressAboveBytes} of JSON, and only where the sender allows
 * it, the JSON is gzip-compressed and base64-encoded, and the string attribute {@code content_encoding} says
 * {@code gzip+base64}. A message still over the limit is refused with {@link MessageTooLargeException}: SQS would
 * reject it, and only the sender knows what to send instead. Sizes are counted as SQS counts them: the UTF-8 body
 * plus each attribute's name, data type and value.
 */
public final class QueueMessageCodec {

    /** The classic SQS default and the most a queue accepted before 2025; queues can be raised to 1 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;

    /** SQS bills each started 64 KiB of a message as one request, so larger bodies are worth compressing. */
    public static final int DEFAULT_COMPRESS_ABOVE_BYTES = 64 * 1024;

    public static final String CONTENT_ENCODING = "content_encoding";
    public static final String GZIP_BASE64 = "gzip+base64";

    /** Decompressed bodies beyond this are refused, so a small poison message cannot exhaust a reader's memory. */
    public static final int MAX_DECODED_BYTES = 64 * 1024 * 1024;

    private static final String STRING_TYPE = "String";

    private final int maxMessageBytes;
    private final int compressAboveBytes;

    public QueueMessageCodec() {
        this(DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_COMPRESS_ABOVE_BYTES);
    }

    public QueueMessageCodec(int maxMessageBytes, int compressAboveBytes) {
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("a queue message limit below 1 KiB is not useful: " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
        this.compressAboveBytes = compressAboveBytes;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Encodes a message as plain JSON; for small messages such as tasks. */
    public EncodedMessage encodePlain(Message message, Map<String, String> attributes)
            throws MessageTooLargeException {
        String json = ProtoJson.toJson(message);
        int jsonBytes = utf8Length(json);
        int size = sizeOf(json, attributes);
        if (size > maxMessageBytes) {
            throw new MessageTooLargeException(jsonBytes, size, maxMessageBytes);
        }
        return new EncodedMessage(json, attributes, jsonBytes, size);
    }

    /** Encodes a message, compressing it when its JSON is above the threshold or would not fit otherwise. */
    public EncodedMessage encode(Message message, Map<String, String> attributes) throws MessageTooLargeException {
        String json = ProtoJson.toJson(message);
        int jsonBytes = utf8Length(json);
        int plainSize = sizeOf(json, attributes);
        if (jsonBytes <= compressAboveBytes && plainSize <= maxMessageBytes) {
            return new EncodedMessage(json, attributes, jsonBytes, plainSize);
        }

        Map<String, String> compressedAttributes = new HashMap<>(attributes);
        compressedAttributes.put(CONTENT_ENCODING, GZIP_BASE64);
        String body = Base64.getEncoder().encodeToString(gzip(json));
        int compressedSize = sizeOf(body, compressedAttributes);
        if (compressedSize <= maxMessageBytes) {
            return new EncodedMessage(body, compressedAttributes, jsonBytes, compressedSize);
        }
        if (plainSize <= maxMessageBytes) {
            return new EncodedMessage(json, attributes, jsonBytes, plainSize);
        }
        throw new MessageTooLargeException(jsonBytes, Math.min(plainSize, compressedSize), maxMessageBytes);
    }

    /**
     * Decodes a body into a message of the builder's type.
     *
     * @param contentEncoding the {@code content_encoding} attribute, or null when absent
     * @throws InvalidMessageException for an unknown encoding, a corrupt compressed body, or JSON that does not
     *                                 fit the schema
     */
    public static <T extends Message> T decode(String body, String contentEncoding, Message.Builder builder)
            throws InvalidMessageException {
        return ProtoJson.parse(decodeToJson(body, contentEncoding), builder);
    }

    /** The JSON text of a body, decompressed when its attribute says so. */
    public static String decodeToJson(String body, String contentEncoding) throws InvalidMessageException {
        if (contentEncoding == null || contentEncoding.isEmpty()) {
            return body;
        }
        if (!GZIP_BASE64.equals(contentEncoding)) {
            throw new InvalidMessageException("unknown content_encoding '" + contentEncoding
                    + "'; expected none or " + GZIP_BASE64);
        }
        byte[] compressed;
        try {
            compressed = Base64.getDecoder().decode(body == null ? "" : body.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException("body marked " + GZIP_BASE64 + " is not base64: " + e.getMessage(), e);
        }
        return gunzip(compressed);
    }

    /** Size of a message as SQS counts it against the limit. */
    public static int sizeOf(String body, Map<String, String> attributes) {
        int size = utf8Length(body);
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            size += utf8Length(attribute.getKey()) + STRING_TYPE.length() + utf8Length(attribute.getValue());
        }
        return size;
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static byte[] gzip(String json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length() / 4 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("gzip to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static String gunzip(byte[] compressed) throws InvalidMessageException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4);
            byte[] buffer = new byte[8192];
            int total = 0;
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                total += n;
                if (total > MAX_DECODED_BYTES) {
                    throw new InvalidMessageException("compressed body expands beyond " + MAX_DECODED_BYTES + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            String detail = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new InvalidMessageException("body marked " + GZIP_BASE64 + " is not valid gzip: " + detail, e);
        }
    }
}

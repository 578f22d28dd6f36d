package io.inventory.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * The one JSON codec of the project: proto3 JSON with the proto field names (snake_case), default values
 * omitted, unknown fields ignored on read. Queue bodies, payload.json and the Lambda events all use it.
 */
public final class ProtoJson {

    private static final JsonFormat.Printer COMPACT =
            JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();

    private static final JsonFormat.Printer PRETTY = JsonFormat.printer().preservingProtoFieldNames();

    // Unknown fields are ignored so that an older reader accepts what a newer writer sends.
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private ProtoJson() {
    }

    /** One-line JSON, for queue bodies. */
    public static String toJson(MessageOrBuilder message) {
        try {
            return COMPACT.print(message);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print, and the contracts have none.
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
        }
    }

    /** Indented JSON, for files people read (payload.json, the agent's console output). */
    public static String toPrettyJson(MessageOrBuilder message) {
        try {
            return PRETTY.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses {@code json} into a message of the builder's type.
     *
     * @throws InvalidMessageException when the text is not JSON or does not fit the message's schema
     */
    @SuppressWarnings("unchecked")
    public static <T extends Message> T parse(String json, Message.Builder builder) throws InvalidMessageException {
        if (json == null || json.isBlank()) {
            throw new InvalidMessageException("empty body, expected a JSON " + typeName(builder));
        }
        NumberLiteralLimits.check(json, typeName(builder));

        try {
            PARSER.merge(json, builder);
            return (T) builder.build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // JsonFormat reports malformed JSON as a RuntimeException from its JSON reader, and a value of the
            // wrong type without saying which field holds it; FieldLocator finds the field for the message.
            String field = FieldLocator.locate(json, builder.getDefaultInstanceForType());
            String where = field.isEmpty() ? "" : " (field " + field + ")";
            throw new InvalidMessageException("not a valid " + typeName(builder) + where + ": " + e.getMessage(), e);
        }
    }

    private static String typeName(Message.Builder builder) {
        return builder.getDescriptorForType().getName();
    }
}

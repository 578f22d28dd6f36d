package io.inventory.codec;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.Map;

/**
 * Finds which field of a JSON object makes it unparseable as a message, such as {@code programs[3].ubr}, by
 * parsing the fields one at a time. Only used on the error path, to put the location into the error message.
 */
final class FieldLocator {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private FieldLocator() {
    }

    /** The path of the first bad field, or an empty string when the text is not a JSON object at all. */
    static String locate(String json, Message prototype) {
        Struct struct;
        try {
            Struct.Builder builder = Struct.newBuilder();
            PARSER.merge(json, builder);
            struct = builder.build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return "";
        }
        return locate(struct, prototype, "");
    }

    private static String locate(Struct struct, Message prototype, String prefix) {
        for (Map.Entry<String, Value> entry : struct.getFieldsMap().entrySet()) {
            String path = prefix + entry.getKey();
            if (parses(Struct.newBuilder().putFields(entry.getKey(), entry.getValue()).build(), prototype)) {
                continue;
            }

            FieldDescriptor field = prototype.getDescriptorForType().findFieldByName(entry.getKey());
            boolean nested = field != null && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && !field.isMapField();
            if (nested && field.isRepeated() && entry.getValue().hasListValue()) {
                Message element = prototype.newBuilderForType().newBuilderForField(field).getDefaultInstanceForType();
                ListValue list = entry.getValue().getListValue();
                for (int i = 0; i < list.getValuesCount(); i++) {
                    Value item = list.getValues(i);
                    if (item.hasStructValue() && !parses(item.getStructValue(), element)) {
                        return locate(item.getStructValue(), element, path + "[" + i + "].");
                    }
                }
            } else if (nested && entry.getValue().hasStructValue()) {
                Message child = prototype.newBuilderForType().newBuilderForField(field).getDefaultInstanceForType();
                return locate(entry.getValue().getStructValue(), child, path + ".");
            }
            return path;
        }
        return prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
    }

    private static boolean parses(Struct struct, Message prototype) {
        try {
            PARSER.merge(JsonFormat.printer().print(struct), prototype.newBuilderForType());
            return true;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return false;
        }
    }
}

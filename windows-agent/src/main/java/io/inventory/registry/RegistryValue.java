package io.inventory.registry;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One named value of a key, decoded: strings for {@code REG_SZ} and {@code REG_EXPAND_SZ}, a list for
 * {@code REG_MULTI_SZ}, an unsigned number for {@code REG_DWORD} and {@code REG_QWORD}, bytes for the rest.
 * The default value of a key has the empty name.
 */
public final class RegistryValue {

    private final String name;
    private final RegistryValueType type;
    private final Object data;

    private RegistryValue(String name, RegistryValueType type, Object data) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.data = Objects.requireNonNull(data, "data");
    }

    /** A {@code REG_SZ} or {@code REG_EXPAND_SZ} value. */
    public static RegistryValue ofString(String name, RegistryValueType type, String text) {
        if (type != RegistryValueType.SZ && type != RegistryValueType.EXPAND_SZ && type != RegistryValueType.LINK) {
            throw new IllegalArgumentException("not a string type: " + type);
        }
        return new RegistryValue(name, type, text);
    }

    /** A {@code REG_SZ} value. */
    public static RegistryValue ofString(String name, String text) {
        return new RegistryValue(name, RegistryValueType.SZ, text);
    }

    /** A {@code REG_MULTI_SZ} value. */
    public static RegistryValue ofMultiString(String name, List<String> texts) {
        return new RegistryValue(name, RegistryValueType.MULTI_SZ, List.copyOf(texts));
    }

    /** A {@code REG_DWORD} value; {@code value} is taken as unsigned 32 bits. */
    public static RegistryValue ofDword(String name, long value) {
        return new RegistryValue(name, RegistryValueType.DWORD, value & 0xFFFF_FFFFL);
    }

    /** A {@code REG_QWORD} value; {@code value} holds the 64 bits. */
    public static RegistryValue ofQword(String name, long value) {
        return new RegistryValue(name, RegistryValueType.QWORD, value);
    }

    /** A value of any other type, kept as its bytes. */
    public static RegistryValue ofBytes(String name, RegistryValueType type, byte[] bytes) {
        return new RegistryValue(name, type, bytes.clone());
    }

    public String name() {
        return name;
    }

    public RegistryValueType type() {
        return type;
    }

    /**
     * The value as text: the string itself, a number in decimal, or the lines of a {@code REG_MULTI_SZ}
     * joined with newlines. Empty for binary data.
     */
    public Optional<String> asText() {
        if (data instanceof String text) {
            return Optional.of(text);
        }
        if (data instanceof Long number) {
            return Optional.of(type == RegistryValueType.QWORD ? Long.toUnsignedString(number) : number.toString());
        }
        if (data instanceof List<?> texts) {
            return Optional.of(String.join("\n", texts.stream().map(Object::toString).toList()));
        }
        return Optional.empty();
    }

    /**
     * The value as a number: a DWORD or QWORD, or a string holding a decimal integer (installers are not
     * consistent about which they write). Empty otherwise.
     */
    public OptionalLong asNumber() {
        if (data instanceof Long number) {
            return OptionalLong.of(number);
        }
        if (data instanceof String text) {
            String trimmed = text.trim();
            if (!trimmed.isEmpty() && trimmed.length() <= 18 && trimmed.chars().allMatch(Character::isDigit)) {
                return OptionalLong.of(Long.parseLong(trimmed));
            }
        }
        return OptionalLong.empty();
    }

    /** The strings of a {@code REG_MULTI_SZ}; a single-element list for other string types. */
    public List<String> asTexts() {
        if (data instanceof List<?> texts) {
            return texts.stream().map(Object::toString).toList();
        }
        return asText().map(List::of).orElse(List.of());
    }

    /** The raw bytes of a binary value; empty for decoded types. */
    public Optional<byte[]> asBytes() {
        return data instanceof byte[] bytes ? Optional.of(bytes.clone()) : Optional.empty();
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof RegistryValue that)) {
            return false;
        }
        boolean sameData = data instanceof byte[] bytes && that.data instanceof byte[] thatBytes
                ? Arrays.equals(bytes, thatBytes)
                : data.equals(that.data);
        return name.equalsIgnoreCase(that.name) && type == that.type && sameData;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name.toLowerCase(Locale.ROOT), type);
    }

    @Override
    public String toString() {
        String shown = data instanceof byte[] bytes ? bytes.length + " bytes" : String.valueOf(data);
        return (name.isEmpty() ? "@" : name) + "=" + type + ":" + shown;
    }
}

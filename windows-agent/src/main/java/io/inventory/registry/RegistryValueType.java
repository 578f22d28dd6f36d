package io.inventory.registry;

/** The registry's value types, with the numbers .reg files use in {@code hex(N):}. */
public enum RegistryValueType {
    NONE(0),
    SZ(1),
    EXPAND_SZ(2),
    BINARY(3),
    DWORD(4),
    DWORD_BIG_ENDIAN(5),
    LINK(6),
    MULTI_SZ(7),
    RESOURCE_LIST(8),
    FULL_RESOURCE_DESCRIPTOR(9),
    RESOURCE_REQUIREMENTS_LIST(10),
    QWORD(11),
    /** Any type number outside the list above; its data is kept as bytes. */
    UNKNOWN(-1);

    private final int code;

    RegistryValueType(int code) {
        this.code = code;
    }

    /** The type number, as in {@code hex(b):} for {@link #QWORD}; -1 for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** The type with number {@code code}, or {@link #UNKNOWN}. */
    public static RegistryValueType fromCode(long code) {
        for (RegistryValueType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return UNKNOWN;
    }
}

package io.inventory.registry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/** Turns a value's type number and raw bytes, as the registry stores them, into a {@link RegistryValue}. */
final class RawValueDecoder {

    private RawValueDecoder() {
    }

    /**
     * Decodes string types with {@code textCharset} (UTF-16LE for the registry itself and version 5 exports, the
     * ANSI code page for REGEDIT4); numbers of the wrong length and every other type stay bytes.
     */
    static RegistryValue decode(String name, RegistryValueType type, byte[] bytes, Charset textCharset) {
        return switch (type) {
            case SZ, EXPAND_SZ, LINK -> RegistryValue.ofString(name, type, firstString(text(bytes, textCharset)));
            case MULTI_SZ -> RegistryValue.ofMultiString(name, strings(text(bytes, textCharset)));
            case DWORD -> bytes.length == 4
                    ? RegistryValue.ofDword(name, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt())
                    : RegistryValue.ofBytes(name, type, bytes);
            case QWORD -> bytes.length == 8
                    ? RegistryValue.ofQword(name, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong())
                    : RegistryValue.ofBytes(name, type, bytes);
            default -> RegistryValue.ofBytes(name, type, bytes);
        };
    }

    /** Installers sometimes store an odd byte count in UTF-16 text; the stray byte is dropped, not fatal. */
    private static String text(byte[] bytes, Charset charset) {
        boolean twoByteUnits = charset.name().startsWith("UTF-16");
        int length = twoByteUnits ? bytes.length & ~1 : bytes.length;
        return new String(bytes, 0, length, charset);
    }

    private static String firstString(String text) {
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    /** REG_MULTI_SZ: strings separated by NUL and ended by an empty string. */
    private static List<String> strings(String text) {
        List<String> result = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nul = text.indexOf('\0', start);
            int end = nul < 0 ? text.length() : nul;
            if (end == start) {
                break;
            }
            result.add(text.substring(start, end));
            start = end + 1;
        }
        return result;
    }
}

package io.inventory.registry;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinReg;
import com.sun.jna.ptr.IntByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The live registry of the machine the agent runs on, read through JNA. Every call names its view with
 * {@code KEY_WOW64_64KEY} or {@code KEY_WOW64_32KEY}, so a 32-bit JVM reads the same keys a 64-bit one does.
 */
final class WindowsRegistry implements Registry {

    @Override
    public boolean exists(RegistryKey key) {
        try {
            return Advapi32Util.registryKeyExists(root(key.hive()), key.path(), viewFlag(key.view()));
        } catch (Win32Exception e) {
            throw failure(key, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw noNativeAccess(key, e);
        }
    }

    @Override
    public List<String> subkeys(RegistryKey key) {
        try {
            String[] names = Advapi32Util.registryGetKeys(root(key.hive()), key.path(), viewFlag(key.view()));
            Arrays.sort(names, String.CASE_INSENSITIVE_ORDER);
            return List.of(names);
        } catch (Win32Exception e) {
            if (isMissing(e)) {
                return List.of();
            }
            throw failure(key, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw noNativeAccess(key, e);
        }
    }

    @Override
    public RegistryValues values(RegistryKey key) {
        Map<String, Object> raw;
        try {
            raw = Advapi32Util.registryGetValues(root(key.hive()), key.path(), viewFlag(key.view()));
        } catch (Win32Exception e) {
            if (isMissing(e)) {
                return RegistryValues.empty();
            }
            throw failure(key, e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw noNativeAccess(key, e);
        } catch (RuntimeException e) {
            // JNA throws a plain RuntimeException for value types it does not decode (REG_NONE, resource lists);
            // one odd value must not hide the others, so the key is read again value by value.
            return enumerateValues(key);
        }

        List<RegistryValue> values = new ArrayList<>(raw.size());
        for (Map.Entry<String, Object> entry : raw.entrySet()) {
            values.add(toValue(entry.getKey(), entry.getValue()));
        }
        return RegistryValues.of(values);
    }

    /** Reads every value with its type number, keeping the ones JNA does not decode as bytes. */
    private static RegistryValues enumerateValues(RegistryKey key) {
        WinReg.HKEY handle;
        try {
            handle = Advapi32Util.registryGetKey(root(key.hive()), key.path(), WinNT.KEY_READ | viewFlag(key.view()))
                    .getValue();
        } catch (Win32Exception e) {
            if (isMissing(e)) {
                return RegistryValues.empty();
            }
            throw failure(key, e);
        }

        try {
            IntByReference count = new IntByReference();
            IntByReference maxNameChars = new IntByReference();
            IntByReference maxDataBytes = new IntByReference();
            check(key, Advapi32.INSTANCE.RegQueryInfoKey(handle, null, null, null, null, null, null, count,
                    maxNameChars, maxDataBytes, null, null));

            char[] name = new char[maxNameChars.getValue() + 1];
            byte[] data = new byte[maxDataBytes.getValue() + 1];
            List<RegistryValue> values = new ArrayList<>(count.getValue());
            for (int index = 0; index < count.getValue(); index++) {
                IntByReference nameChars = new IntByReference(name.length);
                IntByReference type = new IntByReference();
                IntByReference dataBytes = new IntByReference(data.length);
                int status = Advapi32.INSTANCE.RegEnumValue(handle, index, name, nameChars, null, type, data,
                        dataBytes);
                if (status == WinError.ERROR_NO_MORE_ITEMS) {
                    break;
                }
                check(key, status);
                values.add(RawValueDecoder.decode(new String(name, 0, nameChars.getValue()),
                        RegistryValueType.fromCode(type.getValue()), Arrays.copyOf(data, dataBytes.getValue()),
                        StandardCharsets.UTF_16LE));
            }
            return RegistryValues.of(values);
        } finally {
            Advapi32Util.registryCloseKey(handle);
        }
    }

    private static void check(RegistryKey key, int status) {
        if (status != WinError.ERROR_SUCCESS) {
            throw failure(key, new Win32Exception(status));
        }
    }

    @Override
    public String describe() {
        return "live Windows registry";
    }

    /** JNA decodes by type; the JNA map loses the SZ / EXPAND_SZ distinction, which no collector needs. */
    private static RegistryValue toValue(String name, Object data) {
        if (data instanceof String text) {
            return RegistryValue.ofString(name, text);
        }
        if (data instanceof Integer number) {
            return RegistryValue.ofDword(name, number);
        }
        if (data instanceof Long number) {
            return RegistryValue.ofQword(name, number);
        }
        if (data instanceof String[] texts) {
            return RegistryValue.ofMultiString(name, Arrays.asList(texts));
        }
        if (data instanceof byte[] bytes) {
            return RegistryValue.ofBytes(name, RegistryValueType.BINARY, bytes);
        }
        return RegistryValue.ofBytes(name, RegistryValueType.UNKNOWN, new byte[0]);
    }

    private static boolean isMissing(Win32Exception e) {
        return e.getErrorCode() == WinError.ERROR_FILE_NOT_FOUND || e.getErrorCode() == WinError.ERROR_PATH_NOT_FOUND;
    }

    private static RegistryException failure(RegistryKey key, Win32Exception e) {
        String code = e.getErrorCode() == WinError.ERROR_ACCESS_DENIED ? "ACCESS_DENIED" : "READ_FAILED";
        return new RegistryException(code, "cannot read " + key + ": " + e.getMessage(), e);
    }

    private static RegistryUnavailableException noNativeAccess(RegistryKey key, Throwable e) {
        return new RegistryUnavailableException("cannot read " + key + ": no native registry access (" + e + ")", e);
    }

    private static int viewFlag(RegistryView view) {
        return view == RegistryView.BIT_32 ? WinNT.KEY_WOW64_32KEY : WinNT.KEY_WOW64_64KEY;
    }

    private static WinReg.HKEY root(Hive hive) {
        return switch (hive) {
            case LOCAL_MACHINE -> WinReg.HKEY_LOCAL_MACHINE;
            case USERS -> WinReg.HKEY_USERS;
            case CURRENT_USER -> WinReg.HKEY_CURRENT_USER;
            case CLASSES_ROOT -> WinReg.HKEY_CLASSES_ROOT;
            case CURRENT_CONFIG -> WinReg.HKEY_CURRENT_CONFIG;
        };
    }
}

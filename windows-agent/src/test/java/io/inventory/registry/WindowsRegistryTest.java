package io.inventory.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinReg;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The live registry through JNA: runs only on Windows (the windows.yml workflow). */
class WindowsRegistryTest {

    private static final RegistryKey CURRENT_VERSION =
            RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion");

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void noFilesMeansTheLiveRegistryOnWindows() throws Exception {
        Registry registry = Registries.open(List.of());

        assertThat(registry.describe()).isEqualTo("live Windows registry");
        assertThat(registry.values(CURRENT_VERSION).text("CurrentBuildNumber")).isPresent();
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void currentVersionIsReadInThe64BitView() {
        Registry registry = new WindowsRegistry();

        RegistryValues values = registry.values(CURRENT_VERSION);

        assertThat(values.text("ProductName")).hasValueSatisfying(name -> assertThat(name).startsWith("Windows"));
        assertThat(values.number("CurrentMajorVersionNumber")).hasValue(10);
        assertThat(values.get("ProductName").orElseThrow().type()).isEqualTo(RegistryValueType.SZ);
    }

    @Test
    @EnabledOnOs(value = OS.WINDOWS, architectures = {"amd64", "aarch64"})
    void the32BitViewOfSoftwareIsTheWow6432NodeCopy() {
        Registry registry = new WindowsRegistry();
        RegistryKey software = RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE");

        assertThat(registry.subkeys(software)).anyMatch(name -> name.equalsIgnoreCase("WOW6432Node"));
        assertThat(registry.subkeys(software.inView(RegistryView.BIT_32)))
                .noneMatch(name -> name.equalsIgnoreCase("WOW6432Node"));
        assertThat(registry.exists(CURRENT_VERSION.inView(RegistryView.BIT_32))).isTrue();
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void missingKeyHasNoSubkeysAndNoValues() {
        Registry registry = new WindowsRegistry();
        RegistryKey missing = RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE\\InventoryAgentTest\\Missing");

        assertThat(registry.exists(missing)).isFalse();
        assertThat(registry.subkeys(missing)).isEmpty();
        assertThat(registry.values(missing).isEmpty()).isTrue();
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void userHivesAreListed() {
        Registry registry = new WindowsRegistry();

        assertThat(registry.subkeys(RegistryKey.of(Hive.USERS, ""))).contains("S-1-5-18");
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void aValueTypeJnaDoesNotDecodeStillLeavesTheOtherValuesReadable() {
        String path = "Software\\InventoryAgentTest" + ProcessHandle.current().pid();
        Advapi32Util.registryCreateKey(WinReg.HKEY_CURRENT_USER, path);
        try {
            Advapi32Util.registrySetStringValue(WinReg.HKEY_CURRENT_USER, path, "DisplayName", "Odd Program");
            WinReg.HKEY handle = Advapi32Util.registryGetKey(WinReg.HKEY_CURRENT_USER, path,
                    WinNT.KEY_READ | WinNT.KEY_WRITE).getValue();
            try {
                byte[] none = {1, 2, 3};
                assertThat(Advapi32.INSTANCE.RegSetValueEx(handle, "Marker", 0, WinNT.REG_NONE, none, none.length))
                        .isZero();
            } finally {
                Advapi32Util.registryCloseKey(handle);
            }

            RegistryValues values = new WindowsRegistry().values(RegistryKey.of(Hive.CURRENT_USER, path));

            assertThat(values.text("DisplayName")).contains("Odd Program");
            assertThat(values.get("Marker").orElseThrow().type()).isEqualTo(RegistryValueType.NONE);
        } finally {
            Advapi32Util.registryDeleteKey(WinReg.HKEY_CURRENT_USER, path);
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void elsewhereNoFilesMeansEveryReadFailsAsUnavailable() throws Exception {
        Registry registry = Registries.open(List.of());

        assertThatThrownBy(() -> registry.values(CURRENT_VERSION))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("no .reg export was given");
        assertThatThrownBy(() -> registry.subkeys(CURRENT_VERSION)).isInstanceOf(RegistryUnavailableException.class);
        assertThatThrownBy(() -> registry.exists(CURRENT_VERSION)).isInstanceOf(RegistryUnavailableException.class);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void jnaCallsOffWindowsFailAsUnavailableRatherThanWithALinkError() {
        Registry registry = new WindowsRegistry();

        assertThatThrownBy(() -> registry.values(CURRENT_VERSION))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("no native registry access");
    }
}

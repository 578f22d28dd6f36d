package io.inventory.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryKeyTest {

    @Test
    void softwareKeysInThe32BitViewLiveUnderWow6432Node() {
        RegistryKey key = RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE\\Vendor\\App", RegistryView.BIT_32);

        assertThat(key.toString()).isEqualTo("HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Vendor\\App");
    }

    @Test
    void keysOutsideSoftwareAndOtherHivesAreNotRedirected() {
        assertThat(RegistryKey.of(Hive.LOCAL_MACHINE, "SYSTEM\\Select", RegistryView.BIT_32).toString())
                .isEqualTo("HKEY_LOCAL_MACHINE\\SYSTEM\\Select");
        assertThat(RegistryKey.of(Hive.USERS, "S-1-5-18\\Software\\App", RegistryView.BIT_32).toString())
                .isEqualTo("HKEY_USERS\\S-1-5-18\\Software\\App");
        assertThat(RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE\\WOW6432Node\\App", RegistryView.BIT_32).toString())
                .isEqualTo("HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\App");
    }

    @Test
    void pathsAreComparedIgnoringCaseAndStraySeparators() {
        RegistryKey written = RegistryKey.of(Hive.LOCAL_MACHINE, "\\Software\\Vendor\\");
        RegistryKey asked = RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE\\VENDOR");

        assertThat(written).isEqualTo(asked).hasSameHashCodeAs(asked);
        assertThat(written.name()).isEqualTo("Vendor");
        assertThat(RegistryKey.of(Hive.USERS, "").name()).isEqualTo("HKEY_USERS");
    }

    @Test
    void inMemoryRegistryAnswersBothViewsLikeWindows() {
        RegistryKey key = RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE\\Vendor");
        InMemoryRegistry registry = new InMemoryRegistry()
                .put(key, RegistryValue.ofString("Bits", "64"))
                .put(key.inView(RegistryView.BIT_32), RegistryValue.ofString("Bits", "32"));

        assertThat(registry.values(key).text("Bits")).contains("64");
        assertThat(registry.values(key.inView(RegistryView.BIT_32)).text("Bits")).contains("32");
        assertThat(registry.subkeys(RegistryKey.of(Hive.LOCAL_MACHINE, "SOFTWARE"))).containsExactly("Vendor",
                "WOW6432Node");
    }
}

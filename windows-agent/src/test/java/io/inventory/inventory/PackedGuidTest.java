package io.inventory.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PackedGuidTest {

    @Test
    void officeProductCodePacksToTheKeyNameWindowsInstallerUses() {
        String productCode = "{90160000-008C-0000-0000-0000000FF1CE}";

        assertThat(PackedGuid.pack(productCode)).contains("00006109C80000000000000000F01FEC");
    }

    @Test
    void lowerCaseProductCodePacksToUpperCase() {
        assertThat(PackedGuid.pack("{12345678-abcd-ef01-2345-6789abcdef01}"))
                .contains("87654321DCBA10FE32547698BADCFE10");
    }

    @Test
    void keyNamesThatAreNotBracedGuidsDoNotPack() {
        assertThat(PackedGuid.pack("7-Zip")).isEmpty();
        assertThat(PackedGuid.pack("90160000-008C-0000-0000-0000000FF1CE")).isEmpty();
        assertThat(PackedGuid.pack("{771FD6B0-FA20-440A-A002-3B3BAC16DC50}_is1")).isEmpty();
    }
}

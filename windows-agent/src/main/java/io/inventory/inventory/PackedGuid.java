package io.inventory.inventory;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Windows Installer's "packed" form of a product code, the name of its key under {@code Installer\Products}:
 * the first three groups reversed, and the two hex digits of each of the last eight bytes swapped.
 * {@code {12345678-ABCD-EF01-2345-6789ABCDEF01}} packs to {@code 87654321DCBA10FE32547698BADCFE10}.
 */
final class PackedGuid {

    private static final Pattern BRACED_GUID = Pattern.compile(
            "\\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}}");

    private PackedGuid() {
    }

    /** Whether the text is a GUID in braces, as MSI product codes are written. */
    static boolean isBracedGuid(String text) {
        return BRACED_GUID.matcher(text).matches();
    }

    /** The packed form in upper case, or empty when {@code productCode} is not a GUID in braces. */
    static Optional<String> pack(String productCode) {
        if (!isBracedGuid(productCode)) {
            return Optional.empty();
        }
        String hex = productCode.substring(1, productCode.length() - 1).replace("-", "").toUpperCase(Locale.ROOT);
        StringBuilder packed = new StringBuilder(32);
        packed.append(reverse(hex.substring(0, 8)));
        packed.append(reverse(hex.substring(8, 12)));
        packed.append(reverse(hex.substring(12, 16)));
        for (int i = 16; i < 32; i += 2) {
            packed.append(hex.charAt(i + 1)).append(hex.charAt(i));
        }
        return Optional.of(packed.toString());
    }

    private static String reverse(String text) {
        return new StringBuilder(text).reverse().toString();
    }
}

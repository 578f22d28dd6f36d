package io.inventory.writer;

import io.inventory.codec.InvalidMessageException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host name made safe as one S3 key segment. Windows computer names are case-insensitive, so the key is the
 * lower-cased name: {@code WS01} and {@code ws01} share {@code hosts/ws01/payload.json}.
 *
 * @param value the key segment
 */
public record HostKey(String value) {

    /** Letters, digits, dot, underscore and dash, starting with a letter or digit; at most 63 characters. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /**
     * The key for a host name as an agent reported it.
     *
     * @throws InvalidMessageException naming the field when the name cannot be a key segment
     */
    public static HostKey of(String host) throws InvalidMessageException {
        if (host == null || host.isEmpty()) {
            throw new InvalidMessageException("field host: missing");
        }
        if (!VALID.matcher(host).matches() || host.contains("..")) {
            throw new InvalidMessageException("field host: '" + printable(host) + "' is not a valid host name "
                    + "(letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters)");
        }
        return new HostKey(host.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return value;
    }

    private static String printable(String text) {
        String shortened = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        StringBuilder out = new StringBuilder(shortened.length());
        shortened.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}

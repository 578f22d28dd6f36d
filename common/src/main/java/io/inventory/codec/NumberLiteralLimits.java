package io.inventory.codec;

/**
 * Refuses number literals too large to convert cheaply. Protobuf's JSON parser reads an unsigned integer field
 * through {@code BigDecimal.toBigIntegerExact()}, so a few bytes such as {@code 1e9999999}, {@code 1e-999999} or a
 * string of 250,000 digits cost seconds to minutes of CPU before its range check fails; a poison message would hold a
 * reader for its whole timeout. No field of the contracts can hold such a number, so they are refused up front.
 */
final class NumberLiteralLimits {

    /** Far beyond the 20 digits of the largest 64-bit integer, and still cheap to convert. */
    static final int MAX_DIGITS = 1000;

    /** Far beyond a double's exponent range (about 308), and still cheap to expand. */
    static final int MAX_EXPONENT = 1000;

    // The characters that end an unquoted literal in the lenient JSON that protobuf's parser accepts.
    private static final String LITERAL_ENDS = " \t\n\r\f{}[],:\"'/\\;#=";

    private NumberLiteralLimits() {
    }

    /**
     * Checks every bare literal and every string value of {@code json}.
     *
     * @throws InvalidMessageException naming the character position of the first number over the limits
     */
    static void check(String json, String typeName) throws InvalidMessageException {
        int length = json.length();
        int i = 0;
        while (i < length) {
            char c = json.charAt(i);
            if (c == '"' || c == '\'') {
                StringBuilder content = new StringBuilder();
                int end = readString(json, i, content);
                refuseIfOversized(content, i, typeName);
                i = end + 1;
            } else if (c == '#' || json.startsWith("//", i)) {
                int newline = json.indexOf('\n', i);
                i = newline < 0 ? length : newline + 1;
            } else if (json.startsWith("/*", i)) {
                int close = json.indexOf("*/", i + 2);
                i = close < 0 ? length : close + 2;
            } else if (LITERAL_ENDS.indexOf(c) >= 0) {
                i++;
            } else {
                int start = i;
                while (i < length && LITERAL_ENDS.indexOf(json.charAt(i)) < 0) {
                    i++;
                }
                refuseIfOversized(json.subSequence(start, i), start, typeName);
            }
        }
    }

    /** Decodes the string that starts at the quote {@code open} into {@code content}; returns its closing quote. */
    private static int readString(String json, int open, StringBuilder content) {
        char quote = json.charAt(open);
        int i = open + 1;
        while (i < json.length()) {
            char c = json.charAt(i);
            if (c == quote) {
                return i;
            }
            if (c != '\\' || i + 1 >= json.length()) {
                content.append(c);
                i++;
                continue;
            }
            char escaped = json.charAt(i + 1);
            if (escaped == 'u' && i + 6 <= json.length()) {
                try {
                    content.append((char) Integer.parseInt(json.substring(i + 2, i + 6), 16));
                } catch (NumberFormatException e) {
                    content.append(escaped);
                }
                i += 6;
            } else {
                content.append(escaped);
                i += 2;
            }
        }
        return json.length();
    }

    private static void refuseIfOversized(CharSequence literal, int position, String typeName)
            throws InvalidMessageException {
        String problem = problem(literal);
        if (problem != null) {
            throw new InvalidMessageException("not a valid " + typeName + ": the number at character "
                    + (position + 1) + " " + problem);
        }
    }

    /** Why the literal is refused, or null when it is not a number or is within the limits. */
    private static String problem(CharSequence literal) {
        int length = literal.length();
        int i = 0;
        if (i < length && (literal.charAt(i) == '+' || literal.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        boolean dot = false;
        for (; i < length; i++) {
            char c = literal.charAt(i);
            // BigDecimal takes any Unicode decimal digit, so the check does too.
            if (Character.isDigit(c)) {
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (digits == 0) {
            return null;
        }
        String tooManyDigits = digits > MAX_DIGITS ? "has more than " + MAX_DIGITS + " digits" : null;
        if (i == length || (literal.charAt(i) != 'e' && literal.charAt(i) != 'E')) {
            return i == length ? tooManyDigits : null;
        }

        i++;
        if (i < length && (literal.charAt(i) == '+' || literal.charAt(i) == '-')) {
            i++;
        }
        long exponent = 0;
        int exponentDigits = 0;
        for (; i < length && Character.isDigit(literal.charAt(i)); i++) {
            exponent = Math.min(exponent * 10 + Character.digit(literal.charAt(i), 10), Integer.MAX_VALUE);
            exponentDigits++;
        }
        if (exponentDigits == 0 || i < length) {
            return null;
        }
        if (exponent > MAX_EXPONENT) {
            return "has an exponent beyond " + MAX_EXPONENT;
        }
        return tooManyDigits;
    }
}

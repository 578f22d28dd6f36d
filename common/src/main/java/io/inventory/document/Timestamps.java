package io.inventory.document;

import io.inventory.codec.InvalidMessageException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** RFC 3339 times as the contracts write them, parsed so that results are ordered by instant, not by text. */
public final class Timestamps {

    private Timestamps() {
    }

    /**
     * Parses an RFC 3339 time with a {@code Z} or numeric offset.
     *
     * @throws InvalidMessageException naming {@code field} when the text is empty or not such a time
     */
    public static Instant parse(String field, String text) throws InvalidMessageException {
        if (text == null || text.isEmpty()) {
            throw new InvalidMessageException("field " + field + ": missing");
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidMessageException("field " + field + ": '" + text + "' is not an RFC 3339 time", e);
        }
    }

    /**
     * Parses a time read from a stored document; an empty or unreadable one sorts before every real time, so any
     * new result replaces it rather than being blocked by it.
     */
    public static Instant parseStored(String text) {
        if (text == null || text.isEmpty()) {
            return Instant.MIN;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.MIN;
        }
    }
}

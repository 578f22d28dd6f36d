package io.inventory.codec;

/** A queue body or stored document that is not valid JSON for the expected message, or breaks its rules. */
public final class InvalidMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidMessageException(String message) {
        super(message);
    }

    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}

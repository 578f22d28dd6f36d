package io.inventory.agent.poll;

/** A task message that cannot be processed: not JSON, the wrong schema, or ids that break the rules. */
final class InvalidTaskException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidTaskException(String message) {
        super(message);
    }

    InvalidTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.inventory.lambda;

/**
 * The function could not be run at all: the runtime reported an init error (handler class missing, static
 * initialiser failed), the runtime process exited, or no answer came within the timeout. The message carries
 * the runtime's error document or the tail of its output.
 */
public final class LambdaRuntimeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LambdaRuntimeException(String message) {
        super(message);
    }

    public LambdaRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}

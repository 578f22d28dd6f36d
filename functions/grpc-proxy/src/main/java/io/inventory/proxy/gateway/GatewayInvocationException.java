package io.inventory.proxy.gateway;

/** The gateway did not answer a RunResponse: unreachable, throttled, out of time, or failed. */
public final class GatewayInvocationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, in the terms a caller acts on. */
    public enum Kind {
        /** Unreachable or throttled; the same request may succeed later. */
        UNAVAILABLE,
        /** The call ran out of time; some tasks may have been queued. */
        TIMEOUT,
        /** The gateway failed or answered something that is not a RunResponse. */
        FAILED
    }

    private final Kind kind;

    public GatewayInvocationException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

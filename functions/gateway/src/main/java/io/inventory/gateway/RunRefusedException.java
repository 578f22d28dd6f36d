package io.inventory.gateway;

/** A run refused before anything was queued, with the error code the caller sees. */
final class RunRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final GatewayErrorCode code;
    private final int line;

    RunRefusedException(GatewayErrorCode code, String message) {
        this(code, 0, message);
    }

    RunRefusedException(GatewayErrorCode code, int line, String message) {
        super(message);
        this.code = code;
        this.line = line;
    }

    GatewayErrorCode code() {
        return code;
    }

    /** The commands-file line concerned, or 0 when the problem concerns the whole request. */
    int line() {
        return line;
    }
}

package io.inventory.inventory;

/** A section that could not be collected for a reason other than a failed registry read, such as a missing key. */
final class SectionFailure extends RuntimeException {

    static final String NOT_FOUND = "NOT_FOUND";

    private final String code;

    SectionFailure(String code, String message) {
        super(message);
        this.code = code;
    }

    String code() {
        return code;
    }
}

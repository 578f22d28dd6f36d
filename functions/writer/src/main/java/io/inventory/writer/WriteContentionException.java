package io.inventory.writer;

/** An object that other writers kept changing until this writer ran out of compare-and-swap attempts. */
final class WriteContentionException extends Exception {

    private static final long serialVersionUID = 1L;

    WriteContentionException(String bucket, String key, int attempts) {
        super("s3://" + bucket + "/" + key + " changed under this writer " + attempts + " times in a row");
    }
}

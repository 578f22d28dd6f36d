package io.inventory.writer;

/**
 * An object this writer could not update within its compare-and-swap attempts: other writers kept changing it,
 * or S3 kept answering 409, or the connection kept failing before the outcome was known.
 */
final class WriteContentionException extends Exception {

    private static final long serialVersionUID = 1L;

    WriteContentionException(String bucket, String key, int attempts) {
        super("s3://" + bucket + "/" + key + ": no conditional write succeeded in " + attempts
                + " attempts (lost races, 409 conflicts or failed connections)");
    }
}

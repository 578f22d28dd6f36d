package io.inventory.queue;

/** A queue message that does not fit the queue's size limit, even compressed where compression is allowed. */
public final class MessageTooLargeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int jsonBytes;
    private final int encodedBytes;
    private final int limitBytes;

    MessageTooLargeException(int jsonBytes, int encodedBytes, int limitBytes) {
        super("message is " + encodedBytes + " bytes with its attributes (" + jsonBytes
                + " bytes of JSON before encoding); the queue limit is " + limitBytes);
        this.jsonBytes = jsonBytes;
        this.encodedBytes = encodedBytes;
        this.limitBytes = limitBytes;
    }

    /** Size of the uncompressed JSON body. */
    public int jsonBytes() {
        return jsonBytes;
    }

    /** Size of the smallest encoding tried, with the attributes, as SQS counts it. */
    public int encodedBytes() {
        return encodedBytes;
    }

    public int limitBytes() {
        return limitBytes;
    }
}

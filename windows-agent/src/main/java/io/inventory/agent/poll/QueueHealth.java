package io.inventory.agent.poll;

/** Told about every queue call's outcome, so a health endpoint can say whether polling works. */
public interface QueueHealth {

    /** A queue call succeeded. */
    void queueSucceeded();

    /** A queue call failed. */
    void queueFailed(Exception cause);

    /** The poller is stopping and takes no more tasks. */
    void stopping();

    /** For a poller without a health endpoint. */
    QueueHealth NONE = new QueueHealth() {
        @Override
        public void queueSucceeded() {
        }

        @Override
        public void queueFailed(Exception cause) {
        }

        @Override
        public void stopping() {
        }
    };
}

package io.inventory.writer;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Makes the emulator answer chosen requests with an S3 error, the way S3 answers under load or during an incident:
 * s3proxy sends a service exception thrown here as the HTTP status and error code it carries.
 */
final class FaultInjectingBlobStore extends ForwardingBlobStore {

    enum Operation { GET, PUT }

    /** S3's error codes for the statuses the tests inject. */
    static String errorCode(int status) {
        return switch (status) {
            case 500 -> "InternalError";
            case 503 -> "SlowDown";
            case 409 -> "ConditionalRequestConflict";
            case 412 -> "PreconditionFailed";
            default -> "Status" + status;
        };
    }

    private record Fault(Operation operation, String key, int status, AtomicInteger remaining) {
    }

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();

    FaultInjectingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    /** Fails the next {@code times} requests for {@code key} ({@link Integer#MAX_VALUE}: until {@link #clear()}). */
    void fail(Operation operation, String key, int status, int times) {
        faults.add(new Fault(operation, key, status, new AtomicInteger(times)));
    }

    void clear() {
        faults.clear();
        injected.set(0);
    }

    /** How many errors were sent since the last {@link #clear()}. */
    int injected() {
        return injected.get();
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        maybeFail(Operation.PUT, request.key());
        return super.putBlob(request, content);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        maybeFail(Operation.GET, request.key());
        return super.getBlob(request);
    }

    private void maybeFail(Operation operation, String key) {
        for (Fault fault : faults) {
            if (fault.operation() == operation && key.equals(fault.key())
                    && fault.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                injected.incrementAndGet();
                throw S3Exception.builder()
                        .statusCode(fault.status())
                        .message("injected by the test")
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode(errorCode(fault.status()))
                                .errorMessage("injected by the test")
                                .build())
                        .build();
            }
        }
    }
}

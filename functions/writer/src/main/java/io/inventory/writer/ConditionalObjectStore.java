package io.inventory.writer;

import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The bucket as the writer uses it: whole-object reads that return the ETag, and puts that succeed only if the
 * object is still absent ({@code If-None-Match: *}) or unchanged ({@code If-Match: <etag>}). Transient S3 errors
 * (500, 503 SlowDown, a reset connection) are retried by the SDK's retry strategy; what is left after that is
 * thrown as {@link SdkException}.
 */
final class ConditionalObjectStore {

    /** An object's text and the ETag that a later conditional put must match. */
    record Versioned(String text, String etag) {
    }

    /** What became of a conditional put. */
    enum PutOutcome {
        WRITTEN,
        /** 412: the object exists (If-None-Match) or changed (If-Match), or it vanished under If-Match. */
        PRECONDITION_FAILED,
        /** 409: another conditional write to the key was in flight; S3 asks the caller to retry. */
        CONFLICT,
        /** The connection failed: the put may or may not have been applied. */
        UNKNOWN
    }

    private static final String JSON = "application/json";

    private final S3Client s3;
    private final String bucket;

    ConditionalObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    String bucket() {
        return bucket;
    }

    Optional<Versioned> read(String key) {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(new Versioned(object.asUtf8String(), object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    PutOutcome putIfAbsent(String key, String text) {
        return put(key, text, null);
    }

    PutOutcome putIfMatch(String key, String text, String etag) {
        return put(key, text, etag);
    }

    private PutOutcome put(String key, String text, String etag) {
        try {
            s3.putObject(b -> {
                b.bucket(bucket).key(key).contentType(JSON);
                if (etag == null) {
                    b.ifNoneMatch("*");
                } else {
                    b.ifMatch(etag);
                }
            }, RequestBody.fromString(text));
            return PutOutcome.WRITTEN;
        } catch (S3Exception e) {
            return switch (e.statusCode()) {
                case 412 -> PutOutcome.PRECONDITION_FAILED;
                // If-Match on an object that was deleted meanwhile: the next read sees it absent and creates it.
                case 404 -> etag == null ? rethrow(e) : PutOutcome.PRECONDITION_FAILED;
                case 409 -> PutOutcome.CONFLICT;
                default -> rethrow(e);
            };
        }
    }

    private static PutOutcome rethrow(S3Exception e) {
        throw e;
    }
}

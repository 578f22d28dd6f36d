package io.inventory.testing;

import java.io.InputStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * A blob store that makes conditional puts atomic per key, as S3 does: the {@code If-Match} / {@code If-None-Match}
 * check and the write happen under one lock for that key. As shipped, s3proxy checks {@code If-Match} with a
 * lookup before the write, so two compare-and-swap writers can both pass the check and one update is lost.
 */
final class KeyLockingBlobStore extends ForwardingBlobStore {

    // One lock per bucket/key ever written; a test emulator holds few enough keys that they are never evicted.
    private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    KeyLockingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        return underLock(request.bucket(), request.key(), () -> {
            if (request.ifMatch() != null || request.ifNoneMatch() != null) {
                checkCondition(delegate().blobMetadataIfPresent(request.bucket(), request.key()),
                        request.ifMatch(), request.ifNoneMatch());
            }
            return delegate().putBlob(request, content);
        });
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        return underLock(request.destinationBucket(), request.destinationKey(), () -> delegate().copyBlob(request));
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        return underLock(request.bucket(), request.key(), () -> delegate().removeBlob(request));
    }

    private <T> T underLock(String bucket, String key, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(bucket + '/' + key, k -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** The rules S3 applies to a conditional PutObject; the same answers s3proxy gives outside the lock. */
    private static void checkCondition(HeadObjectResponse current, String ifMatch, String ifNoneMatch) {
        if (ifMatch != null) {
            if (current == null) {
                throw new S3ProxyException(S3ErrorCode.NO_SUCH_KEY);
            }
            if (!"*".equals(ifMatch) && !sameEtag(ifMatch, current.eTag())) {
                throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
            }
        }

        if (ifNoneMatch != null && current != null) {
            if ("*".equals(ifNoneMatch) || sameEtag(ifNoneMatch, current.eTag())) {
                throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
            }
        }
    }

    private static boolean sameEtag(String expected, String actual) {
        return actual != null && unquote(expected).equals(unquote(actual));
    }

    private static String unquote(String etag) {
        String trimmed = etag.trim();
        if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
            return trimmed.substring(1, trimmed.length() - 1);
        }
        return trimmed;
    }
}

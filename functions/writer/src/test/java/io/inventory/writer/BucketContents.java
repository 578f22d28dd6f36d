package io.inventory.writer;

import io.inventory.codec.ProtoJson;
import io.inventory.proto.FleetIndex;
import io.inventory.proto.InventoryDocument;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads what the writer left in a bucket, as a user of the bucket would. */
final class BucketContents {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    BucketContents(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    BucketContents(S3Client s3, String bucket) {
        this(s3, bucket, "");
    }

    Optional<String> text(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key)).asUtf8String());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    String etag(String key) {
        return s3.headObject(b -> b.bucket(bucket).key(prefix + key)).eTag();
    }

    InventoryDocument hostDocument(String hostKey) throws Exception {
        String json = text("hosts/" + hostKey + "/payload.json")
                .orElseThrow(() -> new AssertionError("no document for host " + hostKey));
        return ProtoJson.parse(json, InventoryDocument.newBuilder());
    }

    Optional<String> runObject(String taskId) {
        return text("runs/" + ResultEvents.RUN_ID + "/" + taskId + ".json");
    }

    FleetIndex fleetIndex() throws Exception {
        String json = text("payload.json").orElseThrow(() -> new AssertionError("no fleet index"));
        return ProtoJson.parse(json, FleetIndex.newBuilder());
    }

    List<String> keys() {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }
}

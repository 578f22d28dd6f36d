package io.inventory.proxy.service;

import io.inventory.proto.DependencyCheck;
import io.inventory.proxy.gateway.GatewayInvoker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The Health checks: each configured queue's depth, the bucket, and the gateway. A dependency that is not configured
 * is left out rather than reported as failing.
 */
public final class DependencyChecks {

    private final SqsClient sqs;
    private final S3Client s3;
    private final Map<String, String> queues;
    private final String bucket;
    private final GatewayInvoker gateway;
    private final Duration timeout;

    /**
     * @param queues check name ({@code task_queue}, ...) to queue URL; blank URLs are skipped
     * @param bucket the inventory bucket, or blank to skip the check
     */
    public DependencyChecks(SqsClient sqs, S3Client s3, Map<String, String> queues, String bucket,
                            GatewayInvoker gateway, Duration timeout) {
        this.sqs = sqs;
        this.s3 = s3;
        this.queues = new LinkedHashMap<>(queues);
        this.queues.values().removeIf(url -> url == null || url.isBlank());
        this.bucket = bucket == null ? "" : bucket;
        this.gateway = gateway;
        this.timeout = timeout;
    }

    public List<DependencyCheck> run() {
        List<DependencyCheck> checks = new ArrayList<>();
        queues.forEach((name, url) -> checks.add(queue(name, url)));
        if (!bucket.isBlank()) {
            checks.add(bucket());
        }
        checks.add(gateway.check(timeout));
        return checks;
    }

    private DependencyCheck queue(String name, String url) {
        DependencyCheck.Builder check = DependencyCheck.newBuilder().setName(name);
        try {
            String depth = sqs.getQueueAttributes(b -> b.queueUrl(url)
                            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                            .overrideConfiguration(o -> o.apiCallTimeout(timeout)))
                    .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
            int visible = depth == null ? 0 : Integer.parseInt(depth);
            return check.setOk(true).setDepth(visible).setDetail(visible + " visible messages").build();
        } catch (SdkException | NumberFormatException e) {
            return check.setOk(false).setDetail(describe(e)).build();
        }
    }

    private DependencyCheck bucket() {
        DependencyCheck.Builder check = DependencyCheck.newBuilder().setName("bucket");
        try {
            s3.headBucket(b -> b.bucket(bucket).overrideConfiguration(o -> o.apiCallTimeout(timeout)));
            return check.setOk(true).setDetail("bucket " + bucket + " is reachable").build();
        } catch (SdkException e) {
            return check.setOk(false).setDetail(describe(e)).build();
        }
    }

    private static String describe(Exception e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode() + " (HTTP " + service.statusCode() + ")";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}

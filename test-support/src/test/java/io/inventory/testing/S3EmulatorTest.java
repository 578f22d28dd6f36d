package io.inventory.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3EmulatorTest {

    private static final String BUCKET = "emulator-test";
    private static final int THREADS = 8;
    private static final int INCREMENTS_PER_THREAD = 50;

    private static S3Emulator s3;

    @BeforeAll
    static void startEmulator() {
        s3 = S3Emulator.start();
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopEmulator() {
        s3.close();
    }

    @Test
    void concurrentCompareAndSwapIncrementsLoseNoUpdate() throws Exception {
        String key = "counter";
        s3.client().putObject(b -> b.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString("0"));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Callable<Integer>> workers = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            workers.add(() -> incrementRepeatedly(key, INCREMENTS_PER_THREAD));
        }

        List<Future<Integer>> conflicts = pool.invokeAll(workers, 5, TimeUnit.MINUTES);
        pool.shutdown();

        int total = THREADS * INCREMENTS_PER_THREAD;
        assertThat(s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String())
                .as("counter after %d compare-and-swap increments", total)
                .isEqualTo(Integer.toString(total));
        int conflictCount = 0;
        for (Future<Integer> worker : conflicts) {
            conflictCount += worker.get();
        }
        assertThat(conflictCount).as("412 answers seen, proof that the writers really contended").isPositive();
    }

    @Test
    void onlyOneOfManyConcurrentCreatesSucceeds() throws Exception {
        String key = "created-once";
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Callable<Boolean>> creators = new ArrayList<>();
        for (int i = 0; i < THREADS * 4; i++) {
            String body = "writer " + i;
            creators.add(() -> createIfAbsent(key, body));
        }

        List<Future<Boolean>> outcomes = pool.invokeAll(creators, 5, TimeUnit.MINUTES);
        pool.shutdown();

        long created = 0;
        for (Future<Boolean> outcome : outcomes) {
            created += outcome.get() ? 1 : 0;
        }
        assertThat(created).as("creates that were not refused with 412").isEqualTo(1);
    }

    @Test
    void putWithStaleEtagIsRefusedAndKeepsTheObject() {
        String key = "stale";
        String firstEtag = s3.client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("one")).eTag();
        s3.client().putObject(b -> b.bucket(BUCKET).key(key).ifMatch(firstEtag), RequestBody.fromString("two"));

        assertThatThrownBy(() -> s3.client().putObject(b -> b.bucket(BUCKET).key(key).ifMatch(firstEtag),
                RequestBody.fromString("three")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));

        assertThat(s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String()).isEqualTo("two");
    }

    @Test
    void putIfMatchOnMissingKeyIsRefused() {
        assertThatThrownBy(() -> s3.client().putObject(b -> b.bucket(BUCKET).key("missing").ifMatch("\"abc\""),
                RequestBody.fromString("x")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    private static int incrementRepeatedly(String key, int increments) {
        int conflicts = 0;
        try (S3Client client = s3.newClient()) {
            for (int done = 0; done < increments; ) {
                ResponseBytes<GetObjectResponse> current = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
                int next = Integer.parseInt(current.asUtf8String()) + 1;
                try {
                    client.putObject(b -> b.bucket(BUCKET).key(key).ifMatch(current.response().eTag()),
                            RequestBody.fromString(Integer.toString(next)));
                    done++;
                } catch (S3Exception e) {
                    if (e.statusCode() != 412) {
                        throw e;
                    }
                    conflicts++;
                }
            }
        }
        return conflicts;
    }

    private static boolean createIfAbsent(String key, String body) {
        try {
            s3.client().putObject(b -> b.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString(body));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() != 412) {
                throw e;
            }
            return false;
        }
    }
}

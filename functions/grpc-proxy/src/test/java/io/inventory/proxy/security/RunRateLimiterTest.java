package io.inventory.proxy.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RunRateLimiterTest {

    private final AtomicLong now = new AtomicLong();
    private final RunRateLimiter limiter = new RunRateLimiter(2.0, 3, now::get);

    @Test
    void aClientMayBurstThenWaitsForTheRefill() {
        boolean[] burst = {limiter.tryAcquire("10.0.0.1"), limiter.tryAcquire("10.0.0.1"),
            limiter.tryAcquire("10.0.0.1")};
        boolean fourth = limiter.tryAcquire("10.0.0.1");
        now.addAndGet(500_000_000L);
        boolean afterHalfASecond = limiter.tryAcquire("10.0.0.1");

        assertThat(burst).containsOnly(true);
        assertThat(fourth).isFalse();
        assertThat(afterHalfASecond).as("2 per second refills one token in 0.5 s").isTrue();
    }

    @Test
    void eachClientHasItsOwnBucket() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("10.0.0.1");
        }

        assertThat(limiter.tryAcquire("10.0.0.1")).isFalse();
        assertThat(limiter.tryAcquire("10.0.0.2")).isTrue();
    }

    @Test
    void theRefillNeverExceedsTheBurst() {
        now.addAndGet(3_600_000_000_000L);

        int allowed = 0;
        while (limiter.tryAcquire("10.0.0.3")) {
            allowed++;
        }

        assertThat(allowed).isEqualTo(3);
    }
}

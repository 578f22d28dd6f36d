package io.inventory.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriterSettingsTest {

    @Test
    void defaultsApplyWhenOnlyTheBucketIsSet() {
        WriterSettings settings = WriterSettings.fromEnvironment(Map.of("BUCKET_NAME", "inventory"));

        assertThat(settings.bucket()).isEqualTo("inventory");
        assertThat(settings.keyPrefix()).isEmpty();
        assertThat(settings.fleetIndexShards()).isEqualTo(1);
        assertThat(settings.casMaxAttempts()).isEqualTo(8);
        assertThat(settings.casBaseDelay()).isEqualTo(Duration.ofMillis(25));
        assertThat(settings.threads()).isEqualTo(4);
    }

    @Test
    void keyPrefixGetsATrailingSlash() {
        WriterSettings settings = WriterSettings.fromEnvironment(Map.of("BUCKET_NAME", "b", "KEY_PREFIX", "prod"));

        assertThat(settings.keyPrefix()).isEqualTo("prod/");
    }

    @Test
    void missingBucketIsNamed() {
        assertThatThrownBy(() -> WriterSettings.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BUCKET_NAME");
    }

    @Test
    void malformedNumberIsNamedWithItsValue() {
        assertThatThrownBy(() -> WriterSettings.fromEnvironment(Map.of("BUCKET_NAME", "b",
                "FLEET_INDEX_SHARDS", "many")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FLEET_INDEX_SHARDS").hasMessageContaining("many");
    }

    @Test
    void outOfRangeShardCountIsRefused() {
        assertThatThrownBy(() -> WriterSettings.fromEnvironment(Map.of("BUCKET_NAME", "b",
                "FLEET_INDEX_SHARDS", "1000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 256");
    }
}

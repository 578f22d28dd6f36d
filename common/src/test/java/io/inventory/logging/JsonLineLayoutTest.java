package io.inventory.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineLayoutTest {

    @Test
    void eventBecomesOneEscapedJsonLineWithMdcAndError() {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.inventory.writer"), Level.WARN,
                "stored \"{}\"\nnext", new IllegalStateException("boom"), new Object[] {"payload"});
        event.setMDCPropertyMap(Map.of("run_id", "run-1"));
        event.setTimeStamp(0);

        String line = new JsonLineLayout().doLayout(event);

        assertThat(line).endsWith("}" + System.lineSeparator());
        assertThat(line.strip()).doesNotContain("\n");
        assertThat(line).startsWith("{\"timestamp\":\"1970-01-01T00:00:00Z\",\"level\":\"WARN\"")
                .contains("\"message\":\"stored \\\"payload\\\"\\nnext\"")
                .contains("\"run_id\":\"run-1\"")
                .contains("\"error\":\"java.lang.IllegalStateException: boom");
    }
}

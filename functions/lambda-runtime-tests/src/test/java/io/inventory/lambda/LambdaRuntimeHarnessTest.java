package io.inventory.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.inventory.lambda.fixture.BatchHandler;
import io.inventory.lambda.fixture.EchoHandler;
import io.inventory.lambda.fixture.FailingInitHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.joda.time.DateTime;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself, against tiny handlers: what the real runtime client sends, receives and reports. */
class LambdaRuntimeHarnessTest {

    private static final String SQS_EVENT = """
            {"Records": [
              {"messageId": "good-1", "body": "{\\"ok\\":true}", "eventSource": "aws:sqs",
               "messageAttributes": {"run_id": {"stringValue": "run-1", "dataType": "String"}}},
              {"messageId": "poison-2", "body": "not json", "eventSource": "aws:sqs",
               "messageAttributes": {"run_id": {"stringValue": "run-1", "dataType": "String"}}},
              {"messageId": "no-run-3", "body": "{}", "eventSource": "aws:sqs", "messageAttributes": {}}
            ]}
            """;

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class StreamHandler {

        private LambdaRuntimeHarness echo;

        @BeforeAll
        void startOneRuntimeForAllTests(@TempDir Path dir) throws IOException {
            Path zip = new FixtureZip().classes(EchoHandler.class).librariesOf(Context.class)
                    .writeTo(dir.resolve("echo.zip"));

            echo = LambdaRuntimeHarness.builder(zip, EchoHandler.class.getName() + "::handleRequest")
                    .functionName("echo")
                    .environment(Map.of("GREETING", "hello from the template"))
                    .start();
        }

        @AfterAll
        void stopRuntime() {
            echo.close();
        }

        @Test
        void handlerSeesTheRequestIdDeadlineAndEnvironmentTheRuntimeApiGave() {
            LambdaResponse response = echo.invoke("{\"host\":\"WS-0042\"}");

            assertThat(response.isError()).isFalse();
            assertThat(response.payload())
                    .contains("\"request_id\":\"" + response.requestId() + "\"")
                    .contains("\"function_arn\":\"arn:aws:lambda:us-east-1:123456789012:function:echo\"")
                    .contains("\"greeting\":\"hello from the template\"")
                    .contains("\"event\":{\"host\":\"WS-0042\"}")
                    .doesNotContain("\"remaining_ms\":0,")
                    .doesNotContain("\"remaining_ms\":-");
        }

        @Test
        void laterInvocationsReuseTheWarmRuntime() {
            echo.invoke("{}");

            LambdaResponse second = echo.invoke("{}");

            assertThat(second.payload()).containsPattern("\"invocation\":[2-9]");
        }

        @Test
        void handlerExceptionComesBackAsAnErrorAnswerAndTheRuntimeCarriesOn() {
            LambdaResponse failed = echo.invoke("{\"fail\":true}");
            LambdaResponse next = echo.invoke("{\"after\":\"failure\"}");

            assertThat(failed.errorType()).isEqualTo("Runtime.UserException");
            assertThat(failed.payload())
                    .contains("IllegalStateException")
                    .contains("asked to fail on invocation");
            assertThat(next.isError()).isFalse();
            assertThat(next.payload()).contains("\"event\":{\"after\":\"failure\"}");
        }
    }

    @Test
    void handlerThatOverrunsItsTimeoutIsStoppedAsLambdaStopsIt(@TempDir Path dir) throws IOException {
        Path zip = new FixtureZip().classes(EchoHandler.class).writeTo(dir.resolve("echo.zip"));

        try (LambdaRuntimeHarness slow = LambdaRuntimeHarness.builder(zip,
                EchoHandler.class.getName() + "::handleRequest").timeout(Duration.ofSeconds(2)).start()) {

            assertThatThrownBy(() -> slow.invoke("{\"hang\":true}"))
                    .isInstanceOf(LambdaRuntimeException.class)
                    .hasMessageContaining("no answer within its timeout of 2 s");
            assertThatThrownBy(() -> slow.invoke("{}"))
                    .isInstanceOf(LambdaRuntimeException.class)
                    .hasMessageContaining("exited");
        }
    }

    @Test
    void handlerThatCannotBeConstructedIsReportedAsAnInitError(@TempDir Path dir) throws IOException {
        Path zip = new FixtureZip().classes(FailingInitHandler.class).writeTo(dir.resolve("broken.zip"));

        try (LambdaRuntimeHarness broken = LambdaRuntimeHarness.start(
                zip, FailingInitHandler.class.getName() + "::handleRequest", Map.of())) {

            assertThatThrownBy(() -> broken.invoke("{}"))
                    .isInstanceOf(LambdaRuntimeException.class)
                    .hasMessageContaining("failed to initialise")
                    .hasMessageContaining("REQUIRED_SETTING is not set");
        }
    }

    @Test
    void handlerMissingFromTheZipAnswersEveryInvocationWithClassNotFound(@TempDir Path dir) throws IOException {
        Path zip = new FixtureZip().classes(EchoHandler.class).writeTo(dir.resolve("echo.zip"));

        try (LambdaRuntimeHarness missing = LambdaRuntimeHarness.start(
                zip, "io.inventory.lambda.fixture.NoSuchHandler::handleRequest", Map.of())) {
            LambdaResponse response = missing.invoke("{}");

            assertThat(response.isError()).isTrue();
            assertThat(response.payload())
                    .contains("ClassNotFoundException")
                    .contains("io.inventory.lambda.fixture.NoSuchHandler");
        }
    }

    @Test
    void sqsHandlerGetsTheEventThroughTheRuntimesOwnSerializer(@TempDir Path dir) throws IOException {
        Path zip = new FixtureZip().classes(BatchHandler.class)
                .librariesOf(Context.class, SQSEvent.class, DateTime.class)
                .writeTo(dir.resolve("batch.zip"));

        try (LambdaRuntimeHarness batch = LambdaRuntimeHarness.start(
                zip, BatchHandler.class.getName() + "::handleRequest", Map.of())) {
            LambdaResponse response = batch.invoke(SQS_EVENT);

            assertThat(response.isError()).as(response.payload()).isFalse();
            assertThat(response.payload())
                    .contains("\"itemIdentifier\":\"poison-2\"")
                    .contains("\"itemIdentifier\":\"no-run-3\"")
                    .doesNotContain("good-1");
        }
    }

    @Test
    void zipWithoutJodaTimeFailsAsItWouldInLambda(@TempDir Path dir) throws IOException {
        Path zip = new FixtureZip().classes(BatchHandler.class).librariesOf(Context.class, SQSEvent.class)
                .writeTo(dir.resolve("minimised.zip"));

        try (LambdaRuntimeHarness batch = LambdaRuntimeHarness.start(
                zip, BatchHandler.class.getName() + "::handleRequest", Map.of())) {
            LambdaResponse response = batch.invoke(SQS_EVENT);

            assertThat(response.isError()).isTrue();
            assertThat(response.payload()).contains("ClassNotFoundException: org.joda.time.DateTime");
        }
    }
}

package io.inventory.benchmarks.coldstart;

import io.inventory.benchmarks.measure.ResultFile;
import io.inventory.benchmarks.measure.Rounds;
import io.inventory.benchmarks.profile.CpuProfile;
import io.inventory.lambda.LambdaResponse;
import io.inventory.lambda.LambdaRuntimeHarness;
import io.inventory.testing.S3Emulator;
import io.inventory.testing.SqsEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Cold starts of each function's deployment zip in the real Lambda runtime interface client (a fresh child JVM
 * each time, through {@link LambdaRuntimeHarness}): from the runtime's launch to its first answer. The baseline
 * is a zip with the same libraries and a minimal handler making one equivalent SDK call, started the same way.
 *
 * <p>Arguments: {@code <repository root> <rounds>}.
 */
public final class ColdStartBenchmark {

    private static final String RESULTS_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:inventory_results";

    private ColdStartBenchmark() {
    }

    /** One function under test: its zip, handler, baseline handler, environment and a sample event. */
    private record Function(String name, Path zip, String handler, Class<?> baselineHandler,
                            Map<String, String> environment, java.util.function.IntFunction<String> event,
                            Predicate<LambdaResponse> succeeded) {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        ResultFile results = ResultFile.create("coldstart");
        Path work = Files.createDirectories(ResultFile.directory().resolve("coldstart"));

        try (SqsEmulator sqs = SqsEmulator.start(); S3Emulator s3 = S3Emulator.start()) {
            String queue = sqs.createQueue("cold_tasks", 600);
            s3.createBucket("cold-bucket");
            Map<String, String> endpoints = Map.of(
                    "AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString(),
                    "AWS_ENDPOINT_URL_S3", s3.endpoint().toString());

            Map<String, String> gatewayEnv = new HashMap<>(endpoints);
            gatewayEnv.put("TASK_QUEUE_URL", queue);
            gatewayEnv.put("MAX_TASKS_PER_RUN", "1000");
            Map<String, String> writerEnv = new HashMap<>(endpoints);
            writerEnv.put("BUCKET_NAME", "cold-bucket");
            writerEnv.put("KEY_PREFIX", "inventory/");

            List<Function> functions = List.of(
                    new Function("gateway", root.resolve("functions/gateway/target/inventory-gateway-lambda.zip"),
                            "io.inventory.gateway.GatewayHandler::handleRequest", MinimalSqsHandler.class, gatewayEnv,
                            ColdStartBenchmark::runRequest, response -> response.payload().contains("\"ok\":true")),
                    new Function("writer", root.resolve("functions/writer/target/inventory-writer-lambda.zip"),
                            "io.inventory.writer.WriterHandler::handleRequest", MinimalS3Handler.class, writerEnv,
                            ColdStartBenchmark::resultsEvent,
                            response -> !response.payload().contains("itemIdentifier")));

            for (Function function : functions) {
                if (!Files.isRegularFile(function.zip())) {
                    results.put(function.name() + ".missing", function.zip());
                    continue;
                }
                // A private copy: another build may rewrite target/ while this runs.
                Path zip = Files.copy(function.zip(), work.resolve(function.name() + ".zip"),
                        StandardCopyOption.REPLACE_EXISTING);
                Path baselineZip = baselineZip(zip, function.baselineHandler(),
                        work.resolve(function.name() + "-baseline.zip"));
                String baselineHandler = function.baselineHandler().getName() + "::handleRequest";
                AtomicInteger invocation = new AtomicInteger();

                Rounds timed = Rounds.alternate(1, rounds,
                        () -> coldStart(baselineZip, baselineHandler, function, invocation.incrementAndGet(), null,
                                response -> response.payload().contains("\"")),
                        () -> coldStart(zip, function.handler(), function, invocation.incrementAndGet(), null,
                                function.succeeded()));
                timed.record(results, function.name());
                results.put(function.name() + ".zip_bytes", Files.size(zip));
                results.put(function.name() + ".baseline_zip_bytes", Files.size(baselineZip));

                Path recording = work.resolve(function.name() + ".jfr");
                coldStart(zip, function.handler(), function, invocation.incrementAndGet(), recording,
                        function.succeeded());
                CpuProfile.summarise(recording,
                        ResultFile.directory().resolve("coldstart-" + function.name() + ".profile.txt"));
            }
        }
        results.write();
    }

    /** Milliseconds from the runtime's launch to its first answer; fails unless the answer is a success. */
    private static double coldStart(Path zip, String handler, Function function, int invocation, Path recording,
            Predicate<LambdaResponse> succeeded) {
        Map<String, String> environment = new HashMap<>(function.environment());
        if (recording != null) {
            environment.put("JAVA_TOOL_OPTIONS",
                    "-XX:StartFlightRecording=filename=" + recording + ",settings=profile");
        }
        LambdaRuntimeHarness runtime = LambdaRuntimeHarness.builder(zip, handler)
                .functionName(function.name())
                .environment(environment)
                .memoryMb(1024)
                .timeout(Duration.ofSeconds(60))
                .logFormat("JSON")
                .region(S3Emulator.REGION.id())
                // s3proxy checks signatures and knows no session tokens.
                .credentials(S3Emulator.CREDENTIALS.resolveCredentials().accessKeyId(),
                        S3Emulator.CREDENTIALS.resolveCredentials().secretAccessKey(), null)
                .startGrace(Duration.ofSeconds(120))
                .start();
        try (runtime) {
            long start = System.nanoTime();
            LambdaResponse response = runtime.invoke(function.event().apply(invocation));
            double millis = (System.nanoTime() - start) / 1e6;
            if (response.isError() || !succeeded.test(response)) {
                throw new IllegalStateException(function.name() + " (" + handler + ") did not succeed: "
                        + response.payload() + "\n" + runtime.output());
            }
            return millis;
        }
    }

    /** The function zip's libraries with the minimal handler's class in place of the function's own classes. */
    static Path baselineZip(Path functionZip, Class<?> handler, Path target) throws IOException {
        try (ZipFile source = new ZipFile(functionZip.toFile());
             OutputStream file = Files.newOutputStream(target);
             ZipOutputStream zip = new ZipOutputStream(file)) {
            Enumeration<? extends ZipEntry> entries = source.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (!entry.getName().startsWith("lib/") || entry.isDirectory()) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = source.getInputStream(entry)) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
            String classFile = handler.getName().replace('.', '/') + ".class";
            zip.putNextEntry(new ZipEntry(classFile));
            try (InputStream in = handler.getClassLoader().getResourceAsStream(classFile)) {
                in.transferTo(zip);
            }
            zip.closeEntry();
        }
        return target;
    }

    private static String runRequest(int invocation) {
        return "{\"commands\":\"inventory\\n\",\"run_id\":\"cold-" + invocation + "\",\"source\":\"benchmark\"}";
    }

    /** An SQS event with one result, as the event source mapping delivers it. */
    private static String resultsEvent(int invocation) {
        String body = "{\"task_id\":\"cold-" + invocation + "-L1\",\"run_id\":\"cold-" + invocation + "\","
                + "\"host\":\"WS-COLD\",\"status\":\"ok\",\"collected_at\":\"2026-12-03T09:00:0" + invocation % 10
                + "Z\",\"inventory\":{\"schema\":\"inventory/v1\",\"host\":{\"name\":\"WS-COLD\"},\"status\":\"ok\","
                + "\"programs\":[{\"name\":\"Contoso Studio\",\"version\":\"1.2.3\"}]}}";
        String escaped = body.replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"Records\":[{\"messageId\":\"cold-" + invocation + "\",\"receiptHandle\":\"r-" + invocation
                + "\",\"body\":\"" + escaped + "\",\"attributes\":{\"ApproximateReceiveCount\":\"1\"},"
                + "\"messageAttributes\":{},\"md5OfBody\":\"\",\"eventSource\":\"aws:sqs\",\"eventSourceARN\":\""
                + RESULTS_QUEUE_ARN + "\",\"awsRegion\":\"us-east-1\"}]}";
    }
}

package io.inventory.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a function's deployment zip the way Lambda's Java runtime does, without Docker: the real runtime interface
 * client ({@code aws-lambda-java-runtime-interface-client}) in a child JVM, started in the unpacked zip, loading
 * the handler through its own customer class loader, polling a Runtime API that this class serves on loopback.
 * Events go through the runtime's own serializers, so a zip missing a class the runtime needs fails here as it
 * would in Lambda. Invocations reuse one warm runtime, one at a time; after an init error, a timeout or the
 * runtime's exit the harness is spent, and a new one starts a new runtime.
 *
 * <pre>{@code
 * try (LambdaRuntimeHarness writer = LambdaRuntimeHarness.start(zip, "io.example.Handler::handleRequest", env)) {
 *     LambdaResponse response = writer.invoke(Files.readString(Path.of("events/results.json")));
 * }
 * }</pre>
 */
public final class LambdaRuntimeHarness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaRuntimeHarness.class);

    private static final String RUNTIME_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    // One class from each jar of Lambda's /var/runtime/lib: the client, aws-lambda-java-core, the serialization
    // library and the two small SDK jars the client's manifest names.
    private static final List<String> RUNTIME_CLASSES = List.of(
            RUNTIME_MAIN,
            "com.amazonaws.services.lambda.runtime.Context",
            "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
            "software.amazon.awssdk.utilslite.SdkInternalThreadLocal",
            "software.amazon.awssdk.annotations.SdkInternalApi");

    private static final String ACCOUNT = "123456789012";
    private static final int OUTPUT_TAIL_CHARS = 4_000;

    // The answer travels over loopback HTTP after the handler returns; Lambda's own deadline has no such leg.
    private static final Duration DEADLINE_SLACK = Duration.ofSeconds(2);

    private final String functionName;
    private final Path taskRoot;
    private final Path outputFile;
    private final Duration timeout;
    private final Duration startGrace;
    private final RuntimeApiServer api;
    private final Process process;

    private LambdaRuntimeHarness(Builder builder, Path taskRoot, Path outputFile, RuntimeApiServer api,
            Process process) {
        this.functionName = builder.functionName;
        this.timeout = builder.timeout;
        this.startGrace = builder.startGrace;
        this.taskRoot = taskRoot;
        this.outputFile = outputFile;
        this.api = api;
        this.process = process;
    }

    /** Starts the runtime for {@code deploymentZip} with {@code handler} ({@code Class::method}) and its env. */
    public static LambdaRuntimeHarness start(Path deploymentZip, String handler, Map<String, String> environment) {
        return builder(deploymentZip, handler).environment(environment).start();
    }

    /** A harness with more settings than {@link #start(Path, String, Map)} takes. */
    public static Builder builder(Path deploymentZip, String handler) {
        return new Builder(deploymentZip, handler);
    }

    /**
     * Sends one event and waits for the runtime's answer: first for the runtime to take it (the start grace, which
     * covers the JVM's start and the function's init on the first invocation), then for the answer (the function's
     * timeout). A handler's exception is an answer ({@link LambdaResponse#isError()}), not a throw.
     *
     * @throws LambdaRuntimeException when the function failed to initialise, the runtime exited, or it did
     *     not answer in time
     */
    public synchronized LambdaResponse invoke(String eventJson) {
        RuntimeApiServer.Invocation invocation = api.submit(eventJson, timeout);

        await(invocation.handedOut(), startGrace,
                "did not take the invocation within the start grace of " + startGrace.toSeconds() + " s");
        await(invocation.answer(), timeout.plus(DEADLINE_SLACK),
                "gave no answer within its timeout of " + timeout.toSeconds() + " s");
        return invocation.answer().join();
    }

    private void await(CompletableFuture<?> step, Duration limit, String failure) {
        CompletableFuture<Object> first = CompletableFuture.anyOf(step, api.initError(), process.onExit());
        try {
            first.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Lambda, too, discards an execution environment whose invocation timed out.
            process.destroyForcibly();
            throw new LambdaRuntimeException("function " + functionName + " " + failure + "; runtime output:\n"
                    + outputTail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LambdaRuntimeException("interrupted while waiting for " + functionName, e);
        } catch (ExecutionException e) {
            throw new LambdaRuntimeException("invocation of " + functionName + " failed", e.getCause());
        }

        if (step.isDone()) {
            return;
        }
        if (api.initError().isDone()) {
            throw new LambdaRuntimeException("function " + functionName + " failed to initialise: "
                    + api.initError().join() + "\nruntime output:\n" + outputTail());
        }
        throw new LambdaRuntimeException("the runtime of " + functionName + " exited with code "
                + process.exitValue() + " before answering; runtime output:\n" + outputTail());
    }

    /** Everything the runtime and the function wrote to stdout and stderr so far. */
    public String output() {
        try {
            return Files.readString(outputFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runtime output " + outputFile, e);
        }
    }

    /** The unpacked deployment zip the runtime runs in, Lambda's {@code /var/task}. */
    public Path taskRoot() {
        return taskRoot;
    }

    /** Stops the runtime and the Runtime API and deletes the unpacked zip. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        api.close();
        deleteTree(taskRoot.getParent());
    }

    private String outputTail() {
        String output = output();
        return output.length() <= OUTPUT_TAIL_CHARS ? output : output.substring(output.length() - OUTPUT_TAIL_CHARS);
    }

    /**
     * The jars of the runtime interface client and its dependencies, as found on this JVM's class path. They play
     * the part of Lambda's {@code /var/runtime/lib}: only they are on the child JVM's class path.
     */
    public static List<Path> defaultRuntimeClasspath() {
        Set<Path> jars = new LinkedHashSet<>();
        for (String className : RUNTIME_CLASSES) {
            try {
                Class<?> type = Class.forName(className, false, LambdaRuntimeHarness.class.getClassLoader());
                jars.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new IllegalStateException("the Lambda runtime class " + className + " is not on the class path;"
                        + " depend on com.amazonaws:aws-lambda-java-runtime-interface-client", e);
            }
        }
        return List.copyOf(jars);
    }

    /** Settings for one function's runtime; {@link #start()} launches it. */
    public static final class Builder {

        private final Path deploymentZip;
        private final String handler;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String functionName = "function";
        private int memoryMb = 1024;
        private Duration timeout = Duration.ofSeconds(60);
        private Duration startGrace = Duration.ofSeconds(90);
        private String region = "us-east-1";
        private String logFormat = "Text";
        private String accessKeyId = "AKIAIOSFODNN7EXAMPLE";
        private String secretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        private String sessionToken = "harness-session-token";
        private List<Path> runtimeClasspath;

        private Builder(Path deploymentZip, String handler) {
            this.deploymentZip = deploymentZip;
            this.handler = handler;
        }

        /** Function environment variables, as the template's Environment.Variables set them. */
        public Builder environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        public Builder functionName(String name) {
            this.functionName = name;
            return this;
        }

        /** MemorySize: sets the child's maximum heap as Lambda does, and AWS_LAMBDA_FUNCTION_MEMORY_SIZE. */
        public Builder memoryMb(int megabytes) {
            this.memoryMb = megabytes;
            return this;
        }

        /** The function's Timeout: the invocation deadline the runtime sees. */
        public Builder timeout(Duration functionTimeout) {
            this.timeout = functionTimeout;
            return this;
        }

        /**
         * How long the runtime may take to poll for an invocation: on the first one, the JVM's start and the
         * function's init (Lambda allows 10 s; the default is generous for a loaded test machine).
         */
        public Builder startGrace(Duration grace) {
            this.startGrace = grace;
            return this;
        }

        public Builder region(String awsRegion) {
            this.region = awsRegion;
            return this;
        }

        /** LoggingConfig.LogFormat: {@code JSON} or {@code Text}, passed as AWS_LAMBDA_LOG_FORMAT. */
        public Builder logFormat(String format) {
            this.logFormat = format;
            return this;
        }

        /**
         * The credentials the function finds in its environment. Lambda always adds a session token; pass null
         * for an endpoint that refuses one (s3proxy answers 501 NotImplemented to {@code x-amz-security-token}).
         */
        public Builder credentials(String accessKey, String secretKey, String token) {
            this.accessKeyId = accessKey;
            this.secretAccessKey = secretKey;
            this.sessionToken = token;
            return this;
        }

        /** Replaces {@link LambdaRuntimeHarness#defaultRuntimeClasspath()}, for another runtime client version. */
        public Builder runtimeClasspath(List<Path> jars) {
            this.runtimeClasspath = List.copyOf(jars);
            return this;
        }

        /**
         * Unpacks the zip, starts the Runtime API and the runtime's JVM, and returns without waiting for the
         * function's init: Lambda, too, reports an init failure on the first invocation.
         */
        public LambdaRuntimeHarness start() {
            if (!Files.isRegularFile(deploymentZip)) {
                throw new LambdaRuntimeException("no deployment zip at " + deploymentZip.toAbsolutePath()
                        + "; build it first with ./mvnw -B package -DskipTests");
            }

            Path workDir = null;
            RuntimeApiServer api = null;
            try {
                workDir = Files.createTempDirectory("lambda-" + functionName + "-");
                Path taskRoot = Files.createDirectory(workDir.resolve("task"));
                unzip(deploymentZip, taskRoot);
                Path outputFile = workDir.resolve("runtime-output.log");

                String arn = "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + functionName;
                api = RuntimeApiServer.start(arn);

                Process process = launch(taskRoot, outputFile, api.address());
                LOG.debug("started the runtime of {} (pid {}) on {}", functionName, process.pid(), api.address());
                return new LambdaRuntimeHarness(this, taskRoot, outputFile, api, process);
            } catch (IOException | RuntimeException e) {
                if (api != null) {
                    api.close();
                }
                if (workDir != null) {
                    deleteTree(workDir);
                }
                throw new LambdaRuntimeException("cannot start the runtime for " + deploymentZip, e);
            }
        }

        private Process launch(Path taskRoot, Path outputFile, String apiAddress) throws IOException {
            List<Path> jars = runtimeClasspath == null ? defaultRuntimeClasspath() : runtimeClasspath;
            String classpath = String.join(File.pathSeparator, jars.stream().map(Path::toString).toList());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

            // Close to the flags Lambda's java runtimes start with: a heap sized from MemorySize, the serial
            // collector, C1 only. The function's own code is not on the class path: the runtime client loads
            // it from the working directory (root and lib/*.jar), exactly as it does from /var/task.
            List<String> command = new ArrayList<>(List.of(
                    java,
                    "-Xmx" + Math.max(64, memoryMb * 85 / 100) + "m",
                    "-XX:+UseSerialGC",
                    "-XX:+TieredCompilation",
                    "-XX:TieredStopAtLevel=1",
                    "-Xshare:auto",
                    "-Djava.net.preferIPv4Stack=true",
                    "-cp", classpath,
                    RUNTIME_MAIN,
                    handler));

            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(taskRoot.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));

            // A clean environment, like Lambda's: nothing of the test machine's AWS settings leaks in.
            Map<String, String> env = builder.environment();
            String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
            env.clear();
            env.putAll(lambdaEnvironment(taskRoot, apiAddress, path));
            env.putAll(environment);
            return builder.start();
        }

        private Map<String, String> lambdaEnvironment(Path taskRoot, String apiAddress, String path) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", path);
            env.put("LANG", "en_US.UTF-8");
            env.put("TZ", ":UTC");
            env.put("_HANDLER", handler);
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            env.put("AWS_LAMBDA_RUNTIME_API", apiAddress);
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
            env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/01/01/[$LATEST]harness");
            env.put("AWS_LAMBDA_LOG_FORMAT", logFormat);
            env.put("AWS_REGION", region);
            env.put("AWS_DEFAULT_REGION", region);
            // Lambda hands the function its role's temporary credentials this way.
            env.put("AWS_ACCESS_KEY_ID", accessKeyId);
            env.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
            if (sessionToken != null) {
                env.put("AWS_SESSION_TOKEN", sessionToken);
            }
            return env;
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path destination = target.resolve(entry.getName()).normalize();
                if (!destination.startsWith(target)) {
                    throw new IOException("zip entry " + entry.getName() + " escapes the task root");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", root, e.toString());
        }
    }
}

package io.inventory.proxy;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The proxy's command line. Every setting is a flag and an environment variable (the flag wins); the bearer token
 * itself is only read from a file or the environment, so it never shows in a process list.
 */
@Command(name = "inventory-grpc-proxy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serves the agent.AgentGateway gRPC API and runs each request on the gateway Lambda.")
public final class ProxyCommand implements Callable<Integer> {

    /** Which gateway the proxy calls. */
    public enum GatewayMode { lambda, in_process }

    @Option(names = "--bind-address", defaultValue = "${env:PROXY_BIND_ADDRESS:-127.0.0.1}",
            description = "Address to listen on; 0.0.0.0 for every interface. Env PROXY_BIND_ADDRESS.")
    String bindAddress;

    @Option(names = "--port", defaultValue = "${env:PROXY_PORT:-50051}",
            description = "Port to listen on; 0 picks a free one. Env PROXY_PORT.")
    int port;

    @Option(names = "--gateway-mode", defaultValue = "${env:PROXY_GATEWAY_MODE:-lambda}",
            description = "lambda (Invoke API) or in_process (the gateway's handler in this JVM). "
                    + "Env PROXY_GATEWAY_MODE.")
    GatewayMode gatewayMode;

    @Option(names = "--function-name", defaultValue = "${env:PROXY_FUNCTION_NAME:-GatewayFunction}",
            description = "Gateway function name or ARN (sam local uses the logical id). Env PROXY_FUNCTION_NAME.")
    String functionName;

    @Option(names = "--qualifier", defaultValue = "${env:PROXY_FUNCTION_QUALIFIER:-}",
            description = "Alias or version to invoke, e.g. live; empty for none. Env PROXY_FUNCTION_QUALIFIER.")
    String qualifier;

    @Option(names = "--lambda-endpoint", defaultValue = "${env:PROXY_LAMBDA_ENDPOINT:-}",
            description = "Lambda API endpoint override, e.g. http://127.0.0.1:3001. Env PROXY_LAMBDA_ENDPOINT.")
    String lambdaEndpoint;

    @Option(names = "--invoke-timeout-seconds", defaultValue = "${env:PROXY_INVOKE_TIMEOUT_SECONDS:-60}",
            description = "Longest a Run may take when the caller's deadline is later or unset. "
                    + "Env PROXY_INVOKE_TIMEOUT_SECONDS.")
    int invokeTimeoutSeconds;

    @Option(names = "--region", defaultValue = "${env:PROXY_REGION:-}",
            description = "AWS region; empty uses the SDK's usual lookup, then us-east-1. Env PROXY_REGION.")
    String region;

    @Option(names = "--task-queue-url", defaultValue = "${env:PROXY_TASK_QUEUE_URL:-}",
            description = "Task queue: health depth, and where the in-process gateway sends. "
                    + "Env PROXY_TASK_QUEUE_URL.")
    String taskQueueUrl;

    @Option(names = "--result-queue-url", defaultValue = "${env:PROXY_RESULT_QUEUE_URL:-}",
            description = "Result queue, for health. Env PROXY_RESULT_QUEUE_URL.")
    String resultQueueUrl;

    @Option(names = "--task-dlq-url", defaultValue = "${env:PROXY_TASK_DLQ_URL:-}",
            description = "Task dead-letter queue, for health. Env PROXY_TASK_DLQ_URL.")
    String taskDeadLetterQueueUrl;

    @Option(names = "--result-dlq-url", defaultValue = "${env:PROXY_RESULT_DLQ_URL:-}",
            description = "Result dead-letter queue, for health. Env PROXY_RESULT_DLQ_URL.")
    String resultDeadLetterQueueUrl;

    @Option(names = "--bucket", defaultValue = "${env:PROXY_BUCKET:-}",
            description = "Inventory bucket, for health (HeadBucket). Env PROXY_BUCKET.")
    String bucket;

    @Option(names = "--sqs-endpoint", defaultValue = "${env:PROXY_SQS_ENDPOINT:-}",
            description = "SQS endpoint override, e.g. ElasticMQ. Env PROXY_SQS_ENDPOINT.")
    String sqsEndpoint;

    @Option(names = "--s3-endpoint", defaultValue = "${env:PROXY_S3_ENDPOINT:-}",
            description = "S3 endpoint override (path-style addressing). Env PROXY_S3_ENDPOINT.")
    String s3Endpoint;

    @Option(names = "--commands-root", defaultValue = "${env:PROXY_COMMANDS_ROOT:-}",
            description = "Directory commands_file paths must lie in; unset refuses commands_file. "
                    + "Env PROXY_COMMANDS_ROOT.")
    Path commandsRoot;

    @Option(names = "--max-tasks-per-run", defaultValue = "${env:PROXY_MAX_TASKS_PER_RUN:-10000}",
            description = "In-process gateway only: most tasks one run may queue. Env PROXY_MAX_TASKS_PER_RUN.")
    int maxTasksPerRun;

    @Option(names = "--tls-cert", defaultValue = "${env:PROXY_TLS_CERT:-}",
            description = "Server certificate chain (PEM); with --tls-key enables TLS. Env PROXY_TLS_CERT.")
    Path tlsCertificate;

    @Option(names = "--tls-key", defaultValue = "${env:PROXY_TLS_KEY:-}",
            description = "Server private key (PKCS#8 PEM). Env PROXY_TLS_KEY.")
    Path tlsKey;

    @Option(names = "--tls-client-ca", defaultValue = "${env:PROXY_TLS_CLIENT_CA:-}",
            description = "CA certificates (PEM) clients must present a certificate from (mTLS). "
                    + "Env PROXY_TLS_CLIENT_CA.")
    Path tlsClientCa;

    @Option(names = "--token-file", defaultValue = "${env:PROXY_TOKEN_FILE:-}",
            description = "File holding the bearer token callers must send. The token can also come from env "
                    + "PROXY_TOKEN. Env PROXY_TOKEN_FILE.")
    Path tokenFile;

    @Option(names = "--max-request-bytes", defaultValue = "${env:PROXY_MAX_REQUEST_BYTES:-2097152}",
            description = "Largest request message accepted. Env PROXY_MAX_REQUEST_BYTES.")
    int maxRequestBytes;

    @Option(names = "--run-rate", defaultValue = "${env:PROXY_RUN_RATE:-5}",
            description = "Run calls per second allowed per client address; 0 disables the limit. Env PROXY_RUN_RATE.")
    double runRate;

    @Option(names = "--run-burst", defaultValue = "${env:PROXY_RUN_BURST:-20}",
            description = "Run calls a client may make at once before the rate applies. Env PROXY_RUN_BURST.")
    int runBurst;

    @Option(names = "--health-timeout-seconds", defaultValue = "${env:PROXY_HEALTH_TIMEOUT_SECONDS:-5}",
            description = "Timeout of each Health dependency check. Env PROXY_HEALTH_TIMEOUT_SECONDS.")
    int healthTimeoutSeconds;

    @Option(names = "--shutdown-grace-seconds", defaultValue = "${env:PROXY_SHUTDOWN_GRACE_SECONDS:-30}",
            description = "How long in-flight calls may finish after SIGTERM. Env PROXY_SHUTDOWN_GRACE_SECONDS.")
    int shutdownGraceSeconds;

    /** The token from {@code PROXY_TOKEN}; read here so tests can set it without touching the environment. */
    String tokenFromEnvironment = System.getenv("PROXY_TOKEN");

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProxyCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ProxyServer server = ProxyServer.start(this);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "proxy-shutdown"));
        server.awaitTermination();
        return 0;
    }
}

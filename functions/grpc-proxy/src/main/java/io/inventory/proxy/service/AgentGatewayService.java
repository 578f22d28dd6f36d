package io.inventory.proxy.service;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.inventory.commands.RunIds;
import io.inventory.proto.AgentGatewayGrpc;
import io.inventory.proto.DependencyCheck;
import io.inventory.proto.HealthRequest;
import io.inventory.proto.HealthResponse;
import io.inventory.proto.RejectedLine;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import io.inventory.proxy.gateway.GatewayInvocationException;
import io.inventory.proxy.gateway.GatewayInvoker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code agent.AgentGateway} service: resolves a commands file inside the commands root, hands the run to the
 * gateway with the caller's remaining deadline, and maps the answer to a gRPC status.
 */
public final class AgentGatewayService extends AgentGatewayGrpc.AgentGatewayImplBase {

    public static final String SERVICE_NAME = "inventory-grpc-proxy";

    private static final Logger LOG = LoggerFactory.getLogger(AgentGatewayService.class);

    private final GatewayInvoker gateway;
    private final CommandsRoot commandsRoot;
    private final DependencyChecks checks;
    private final Duration invokeTimeout;
    private final Clock clock;

    /**
     * @param commandsRoot  where commands files may be read from; null refuses every commands_file
     * @param invokeTimeout the longest a run may take when the caller sets no shorter deadline
     */
    public AgentGatewayService(GatewayInvoker gateway, CommandsRoot commandsRoot, DependencyChecks checks,
                               Duration invokeTimeout) {
        this.gateway = gateway;
        this.commandsRoot = commandsRoot;
        this.checks = checks;
        this.invokeTimeout = invokeTimeout;
        this.clock = Clock.systemUTC();
    }

    @Override
    public void run(RunRequest request, StreamObserver<RunResponse> responses) {
        // The run id is fixed here, before the first attempt, so any retry of this call queues the same task ids.
        String runId = request.getRunId().isEmpty() ? RunIds.newRunId(clock) : request.getRunId();
        RunRequest.Builder forGateway = request.toBuilder().setRunId(runId);

        if (!request.getCommandsFile().isEmpty()) {
            if (!request.getCommands().isEmpty() || !request.getCommandsUri().isEmpty()) {
                responses.onError(RunStatuses.error(Status.Code.INVALID_ARGUMENT, refusal(runId, "INVALID_REQUEST",
                        "send one of commands_file, commands or commands_uri")));
                return;
            }
            try {
                byte[] content = read(request.getCommandsFile());
                // Invalid UTF-8 becomes U+FFFD, which the grammar rejects on any line that is not a comment.
                forGateway.clearCommandsFile().setCommands(new String(content, StandardCharsets.UTF_8));
                if (forGateway.getSource().isEmpty()) {
                    forGateway.setSource(request.getCommandsFile());
                }
            } catch (CommandsRoot.RefusedException e) {
                LOG.info("run={} commands file refused: {}", runId, e.getMessage());
                responses.onError(RunStatuses.error(e.code(), refusal(runId, e.errorCode(), e.getMessage())));
                return;
            }
        }

        Duration timeout = remainingTime();
        if (timeout.isZero() || timeout.isNegative()) {
            responses.onError(Status.DEADLINE_EXCEEDED
                    .withDescription("the deadline passed before the gateway was called; run_id " + runId)
                    .asRuntimeException());
            return;
        }

        RunResponse response;
        try {
            response = gateway.run(forGateway.build(), timeout);
        } catch (GatewayInvocationException e) {
            LOG.warn("run={} gateway call failed: {}", runId, e.getMessage());
            responses.onError(statusOf(e, runId).asRuntimeException());
            return;
        }

        Status.Code code = RunStatuses.codeFor(response);
        LOG.info("run={} status={} queued={} tasks={} rejected={} error_code={}", runId, code,
                response.getAccepted(), response.getTasksCount(), response.getRejectedCount(),
                response.getErrorCode());
        if (code == Status.Code.OK) {
            responses.onNext(response);
            responses.onCompleted();
        } else {
            responses.onError(RunStatuses.error(code, response));
        }
    }

    @Override
    public void health(HealthRequest request, StreamObserver<HealthResponse> responses) {
        List<DependencyCheck> results = checks.run();
        boolean ok = results.stream().allMatch(DependencyCheck::getOk);
        responses.onNext(HealthResponse.newBuilder().setOk(ok).setService(SERVICE_NAME).addAllChecks(results).build());
        responses.onCompleted();
    }

    private byte[] read(String commandsFile) throws CommandsRoot.RefusedException {
        if (commandsRoot == null) {
            throw new CommandsRoot.RefusedException(Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED",
                    "commands_file is refused: the proxy has no commands root configured (--commands-root)");
        }
        return commandsRoot.read(commandsFile);
    }

    private Duration remainingTime() {
        Deadline deadline = Context.current().getDeadline();
        if (deadline == null) {
            return invokeTimeout;
        }
        Duration remaining = Duration.ofMillis(deadline.timeRemaining(TimeUnit.MILLISECONDS));
        return remaining.compareTo(invokeTimeout) < 0 ? remaining : invokeTimeout;
    }

    private static Status statusOf(GatewayInvocationException e, String runId) {
        String retry = "; a retry with run_id " + runId + " is safe";
        return switch (e.kind()) {
            case UNAVAILABLE -> Status.UNAVAILABLE.withDescription(e.getMessage() + retry);
            case TIMEOUT -> Status.DEADLINE_EXCEEDED.withDescription(e.getMessage()
                    + "; some tasks may be queued" + retry);
            case FAILED -> Status.INTERNAL.withDescription(e.getMessage());
        };
    }

    private static RunResponse refusal(String runId, String errorCode, String message) {
        return RunResponse.newBuilder()
                .setRunId(runId)
                .setErrorCode(errorCode)
                .setError(message)
                .addRejected(RejectedLine.newBuilder().setLine(0).setReason(message))
                .build();
    }
}

package io.inventory.gateway;

import io.inventory.commands.CommandsFileException;
import io.inventory.commands.CommandsParser;
import io.inventory.commands.InventoryCommand;
import io.inventory.commands.ParsedCommands;
import io.inventory.commands.Rejection;
import io.inventory.commands.RunIds;
import io.inventory.commands.Section;
import io.inventory.proto.InventoryTask;
import io.inventory.proto.RejectedLine;
import io.inventory.proto.RunRequest;
import io.inventory.proto.RunResponse;
import io.inventory.proto.TaskAssignment;
import io.inventory.queue.EncodedMessage;
import io.inventory.queue.MessageTooLargeException;
import io.inventory.queue.QueueMessageCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The gateway's work for one run: read and validate the commands, queue one task per accepted line, and say
 * exactly what happened. Task ids come from the run id and the line, so a retried run queues the same ids.
 */
final class Gateway {

    static final String RUN_ID_ATTRIBUTE = "run_id";
    static final String TASK_ID_ATTRIBUTE = "task_id";
    static final int MAX_SOURCE_LENGTH = 256;

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final CommandsParser parser;
    private final QueueMessageCodec codec;
    private final S3CommandsReader s3Reader;
    private final TaskQueueSender sender;
    private final Clock clock;

    Gateway(GatewaySettings settings, S3Client s3, TaskQueueSender sender, Clock clock) {
        this.parser = new CommandsParser(settings.maxCommandsBytes(), CommandsParser.DEFAULT_MAX_LINE_LENGTH,
                settings.maxTasksPerRun());
        this.codec = new QueueMessageCodec(settings.maxMessageBytes(), QueueMessageCodec.DEFAULT_COMPRESS_ABOVE_BYTES);
        this.s3Reader = new S3CommandsReader(s3, settings.maxCommandsBytes());
        this.sender = sender;
        this.clock = clock;
    }

    /** Runs {@code request}; {@code runId} is the request's run id, already validated, or a new one. */
    RunResponse run(RunRequest request, String runId, Instant deadline) throws InterruptedException {
        ParsedCommands parsed;
        try {
            parsed = parser.parse(commandsOf(request));
        } catch (RunRefusedException e) {
            LOG.info("run={} refused: {} {}", runId, e.code(), e.getMessage());
            return refused(runId, e.code(), e.line(), e.getMessage());
        } catch (CommandsFileException e) {
            LOG.info("run={} refused: {} {}", runId, e.reason(), e.getMessage());
            return refused(runId, GatewayErrorCode.valueOf(e.reason().name()), e.line(), e.getMessage());
        }

        List<RejectedLine> rejected = new ArrayList<>(parsed.rejections().stream().map(Gateway::rejectedLine).toList());
        if (parsed.commands().isEmpty()) {
            LOG.info("run={} nothing to queue: {} lines rejected source={}", runId, rejected.size(),
                    request.getSource());
            return RunResponse.newBuilder()
                    .setRunId(runId)
                    .setErrorCode(GatewayErrorCode.INVALID_COMMANDS.name())
                    .setError(rejected.isEmpty() ? "the commands contain no inventory line"
                            : "no line could be queued: " + rejected.size() + " lines rejected")
                    .addAllRejected(rejected)
                    .build();
        }

        List<TaskQueueSender.OutgoingTask> outgoing = new ArrayList<>();
        String createdAt = clock.instant().toString();
        for (InventoryCommand command : parsed.commands()) {
            String taskId = RunIds.taskId(runId, command.line());
            try {
                outgoing.add(new TaskQueueSender.OutgoingTask(taskId, encode(request, runId, taskId, command,
                        createdAt)));
            } catch (MessageTooLargeException e) {
                rejected.add(RejectedLine.newBuilder().setLine(command.line())
                        .setReason("the task message would be too large: " + e.getMessage()).build());
            }
        }

        TaskQueueSender.Outcome outcome = sender.send(runId, outgoing, deadline);
        return summarise(request, runId, parsed.commands(), rejected, outcome);
    }

    private byte[] commandsOf(RunRequest request) throws RunRefusedException {
        if (!request.getCommandsFile().isEmpty()) {
            throw new RunRefusedException(GatewayErrorCode.INVALID_REQUEST,
                    "commands_file is read by the proxy, not the gateway; send commands or commands_uri");
        }
        if (!request.getCommandsUri().isEmpty() && !request.getCommands().isEmpty()) {
            throw new RunRefusedException(GatewayErrorCode.INVALID_REQUEST,
                    "send either commands or commands_uri, not both");
        }
        if (!request.getCommandsUri().isEmpty()) {
            return s3Reader.read(request.getCommandsUri());
        }
        return request.getCommands().getBytes(StandardCharsets.UTF_8);
    }

    private EncodedMessage encode(RunRequest request, String runId, String taskId, InventoryCommand command,
                                  String createdAt) throws MessageTooLargeException {
        InventoryTask task = InventoryTask.newBuilder()
                .setTaskId(taskId)
                .setRunId(runId)
                .setLine(command.line())
                .addAllSections(sectionNames(command))
                .setSource(request.getSource())
                .setCreatedAt(createdAt)
                .build();
        return codec.encodePlain(task, Map.of(RUN_ID_ATTRIBUTE, runId, TASK_ID_ATTRIBUTE, taskId));
    }

    private RunResponse summarise(RunRequest request, String runId, List<InventoryCommand> commands,
                                  List<RejectedLine> rejected, TaskQueueSender.Outcome outcome) {
        RunResponse.Builder response = RunResponse.newBuilder().setRunId(runId).addAllRejected(rejected);
        for (InventoryCommand command : commands) {
            String taskId = RunIds.taskId(runId, command.line());
            response.addTasks(TaskAssignment.newBuilder()
                    .setTaskId(taskId)
                    .setLine(command.line())
                    .setQueued(outcome.queued().contains(taskId))
                    .addAllSections(sectionNames(command)));
        }
        int queued = outcome.queued().size();
        int total = commands.size();
        response.setAccepted(queued);

        if (queued == 0) {
            LOG.warn("run={} no task could be queued: {}", runId, firstFailure(outcome));
            return response.setErrorCode(GatewayErrorCode.QUEUE_UNAVAILABLE.name())
                    .setError("no task could be queued: " + firstFailure(outcome))
                    .build();
        }
        if (queued < total) {
            LOG.warn("run={} only {} of {} tasks queued: {}", runId, queued, total, firstFailure(outcome));
            return response.setErrorCode(GatewayErrorCode.PARTIAL_ENQUEUE.name())
                    .setError(queued + " of " + total + " tasks are queued (see tasks[].queued); retry with run_id "
                            + runId + " to queue the rest: " + firstFailure(outcome))
                    .build();
        }
        if (!rejected.isEmpty()) {
            LOG.info("run={} queued {} tasks, {} lines rejected source={}", runId, queued, rejected.size(),
                    request.getSource());
            return response.setErrorCode(GatewayErrorCode.LINES_REJECTED.name())
                    .setError(queued + " tasks queued; " + rejected.size() + " lines rejected")
                    .build();
        }
        LOG.info("run={} queued {} tasks source={}", runId, queued, request.getSource());
        return response.setOk(true).build();
    }

    static RunResponse refused(String runId, GatewayErrorCode code, int line, String message) {
        return RunResponse.newBuilder()
                .setRunId(runId)
                .setErrorCode(code.name())
                .setError(message)
                .addRejected(RejectedLine.newBuilder().setLine(line).setReason(message))
                .build();
    }

    private static String firstFailure(TaskQueueSender.Outcome outcome) {
        return outcome.failures().values().stream().findFirst().orElse("unknown error");
    }

    private static List<String> sectionNames(InventoryCommand command) {
        return command.sections().stream().sorted().map(Section::wireName).toList();
    }

    private static RejectedLine rejectedLine(Rejection rejection) {
        return RejectedLine.newBuilder()
                .setLine(rejection.line())
                .setText(rejection.text())
                .setReason(rejection.reason())
                .build();
    }
}

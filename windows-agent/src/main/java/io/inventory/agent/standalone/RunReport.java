package io.inventory.agent.standalone;

import io.inventory.commands.Rejection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The result of a standalone run: the lines that were rejected, every accepted task's outcome in line order, and
 * whether payload.json could be written.
 *
 * @param payloadWritten whether payload.json was replaced during the run
 * @param payloadError   why payload.json could not be written, when it could not
 * @param stopped        whether a stop request cut the run short
 */
public record RunReport(String runId, List<Rejection> rejections, List<TaskOutcome> outcomes, Path payload,
                        boolean payloadWritten, Optional<String> payloadError, boolean stopped) {

    public RunReport {
        rejections = List.copyOf(rejections);
        outcomes = List.copyOf(outcomes);
    }

    public boolean allTasksSucceeded() {
        return outcomes.stream().allMatch(TaskOutcome::succeeded);
    }

    public long count(String status) {
        return outcomes.stream().filter(outcome -> outcome.status().equals(status)).count();
    }

    /** The summary an operator reads on the console and in the log, one line per entry. */
    public List<String> summaryLines() {
        List<String> lines = new ArrayList<>();
        lines.add("Run " + runId + ": " + outcomes.size() + " tasks accepted, " + rejections.size()
                + " lines rejected; ok " + count("ok") + ", partial " + count("partial") + ", error " + count("error")
                + ", not started " + count(TaskOutcome.NOT_STARTED) + (stopped ? " (stopped early)" : ""));
        for (Rejection rejection : rejections) {
            String where = rejection.line() > 0 ? "line " + rejection.line() : "file";
            lines.add("  rejected " + where + ": " + rejection.reason()
                    + (rejection.text().isEmpty() ? "" : " [" + rejection.text() + "]"));
        }
        for (TaskOutcome outcome : outcomes) {
            lines.add("  task " + outcome.taskId() + " (line " + outcome.line() + "): " + outcome.status()
                    + (outcome.detail().isEmpty() ? "" : " - " + outcome.detail()));
        }
        if (payloadError.isPresent()) {
            lines.add("payload.json NOT written: " + payloadError.get());
        } else {
            lines.add((payloadWritten ? "payload.json written: " : "payload.json unchanged: ") + payload);
        }
        return lines;
    }
}

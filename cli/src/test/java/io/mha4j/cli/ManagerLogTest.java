package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ManagerLogTest {
    private static final Logger log = LoggerFactory.getLogger(ManagerLogTest.class);

    @TempDir
    Path dir;

    @AfterEach
    void backToStandardError() {
        ManagerLog.configure(Optional.empty(), "info");
    }

    /** Logs {@code message} on a thread of {@code application}'s, and on a thread that thread starts. */
    private static void logAs(String application, String message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            ApplicationTag.set(application);
            log.info(message);
            Thread child = new Thread(() -> log.info(message + " (child thread)"));
            child.start();
            try {
                child.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.complete(null);
        });
        t.start();
        done.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** app1's lines to {@code one} from info up, app2's to {@code two} from {@code level2} up; then each logs. */
    private static void routeAndLog(Path one, Path two, String level2, String message1, String message2) {
        ManagerLog.configure(List.of(
                new ManagerLog.Route("app1", Optional.of(one), "info"),
                new ManagerLog.Route("app2", Optional.of(two), level2)));
        logAs("app1", message1);
        logAs("app2", message2);
    }

    @Test
    void eachApplicationsLinesGoToItsOwnManagerLogInMhasFormat() throws Exception {
        Path one = dir.resolve("app1.log");
        Path two = dir.resolve("app2.log");
        routeAndLog(one, two, "warning", "monitoring app1", "monitoring app2");
        log.warn("the command's own line");

        assertThat(Files.readAllLines(one))
                .hasSize(2)
                .allMatch(
                        l -> l.matches("\\w{3} \\w{3} +\\d+ \\d\\d:\\d\\d:\\d\\d \\d{4} - \\[info] monitoring app1.*"));
        assertThat(two).as("app2 logs from warning up").isEmptyFile();
    }

    @Test
    void linesOfApplicationsSharingOneFileAreLabelled() throws Exception {
        Path shared = dir.resolve("managers.log");
        routeAndLog(shared, shared, "info", "monitoring", "monitoring");

        assertThat(Files.readString(shared))
                .contains("- [info] [app1] monitoring\n")
                .contains("- [info] [app2] monitoring (child thread)\n")
                .doesNotContain("the command's own line");
    }
}

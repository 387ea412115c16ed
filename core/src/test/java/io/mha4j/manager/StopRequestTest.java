package io.mha4j.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stop's route to one application of a process that runs several: this test's own JVM plays that
 * process (its pid in the status file and the mark), so a SIGTERM sent by mistake would end the test.
 */
class StopRequestTest {
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    /** app1 run by this JVM among others: its lock held, its status file written, its mark made. */
    private ManagerLock sharedManagerOfApp1() {
        ManagerLock lock = ManagerLock.tryAcquire(dir, "app1").orElseThrow();
        new StatusFile(dir, "app1").update(PID, ManagerStatus.PING_OK, Optional.of("10.0.0.51"), Instant.now());
        new StopRequest(dir, "app1").offer(PID);
        return lock;
    }

    @Test
    void stopAsksTheSharedProcessByRequestAndReportsWhenTheApplicationEnded() {
        StatusFile status = new StatusFile(dir, "app1");
        StopRequest request = new StopRequest(dir, "app1");
        try (ManagerLock lock = sharedManagerOfApp1()) {
            // The process's side: on the request, the application ends and its status file goes.
            CompletableFuture<Void> manager = CompletableFuture.runAsync(() -> {
                await().atMost(Duration.ofSeconds(10)).until(request::requested);
                status.delete();
            });

            ManagerStop stop = ManagerStop.stop("app1", dir, false, Duration.ofSeconds(10));

            assertThat(stop.message()).isEqualTo("Stopped app1 successfully.");
            assertThat(stop.exitCode()).isZero();
            manager.orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    @Test
    void anUnansweredRequestFailsWithoutSignallingTheProcessEvenWithAbort() {
        StopRequest request = new StopRequest(dir, "app1");
        try (ManagerLock lock = sharedManagerOfApp1()) {

            ManagerStop stop = ManagerStop.stop("app1", dir, true, Duration.ofMillis(300));

            assertThat(stop.exitCode()).isEqualTo(1);
            assertThat(stop.message())
                    .contains("it manages other applications too, so it was not killed")
                    .endsWith("Failed to stop app1.");
            assertThat(request.requested()).as("asked still").isTrue();
        }
    }

    @Test
    void aMarkOfAnotherProcessIsIgnoredAndAnOfferDropsAnOldRequest() {
        StopRequest request = new StopRequest(dir.resolve("new"), "app1");
        request.offer(PID + 1);
        assertThat(request.offeredBy(PID)).isFalse();
        request.request();
        request.offer(PID);
        assertThat(request.offeredBy(PID)).isTrue();
        assertThat(request.requested()).isFalse();
        request.withdraw();
        assertThat(request.offeredBy(PID)).isFalse();
    }
}

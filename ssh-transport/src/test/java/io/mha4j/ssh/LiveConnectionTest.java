package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mha4j.remote.HostKeyPolicy;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Who connects, and how long the others wait: never for another thread's attempt and then their own. */
class LiveConnectionTest {
    private final AtomicInteger attempts = new AtomicInteger();
    private final CountDownLatch attempting = new CountDownLatch(1);
    private final CountDownLatch fail = new CountDownLatch(1);

    private final LiveConnection connection = new LiveConnection(
            TestTargets.at("192.0.2.1", 22, "root", Path.of("key"), Path.of("known_hosts"), HostKeyPolicy.STRICT),
            () -> {
                attempts.incrementAndGet();
                attempting.countDown();
                try {
                    fail.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new RemoteShellException("test", Kind.UNREACHABLE, "no route to host", null);
            });

    @Test
    void aFailureFromBeforeTheCallIsNoReasonNotToTry() {
        fail.countDown();
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(connection::get);
        assertThatThrownBy(first::join).hasCauseInstanceOf(RemoteShellException.class);
        assertThat(attempts).hasValue(1);

        assertThatThrownBy(connection::get).isInstanceOf(RemoteShellException.class);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void waitersGetTheOutcomeOfTheAttemptUnderWay() throws Exception {
        CompletableFuture<Object> monitor = CompletableFuture.supplyAsync(connection::get);
        assertThat(attempting.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Object> failover = new CompletableFuture<>();
        Thread waiter = new Thread(
                () -> {
                    try {
                        failover.complete(connection.get());
                    } catch (RuntimeException e) {
                        failover.completeExceptionally(e);
                    }
                },
                "failover");
        waiter.start();
        await("the failover waits for the monitor's attempt")
                .atMost(Duration.ofSeconds(10))
                .until(() -> waiter.getState() == Thread.State.BLOCKED);

        fail.countDown();

        assertThatThrownBy(() -> failover.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(RemoteShellException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
                    assertThat(e.getMessage())
                            .contains("no route to host")
                            .contains("an attempt that ended while this one waited");
                });
        assertThatThrownBy(monitor::join).isInstanceOf(CompletionException.class);
        assertThat(attempts).as("one attempt for both").hasValue(1);
    }

    @Test
    void aClosedConnectionOpensNoOther() {
        connection.close();

        assertThatThrownBy(connection::get)
                .isInstanceOf(RemoteShellException.class)
                .hasMessageContaining("closed");
        assertThat(attempts).hasValue(0);
    }
}

package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShellException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The warm shell's lifecycle: who may start one, when, and who waits for it (at most a login shell's time). */
class WarmSlotTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger starts = new AtomicInteger();
    private final List<LocalShChannel> channels = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(LocalShChannel::close);
    }

    private WarmSlot slot(Function<Duration, WarmShell> starter) {
        return new WarmSlot(
                "test",
                t -> {
                    starts.incrementAndGet();
                    return starter.apply(t);
                },
                (command, pid) -> {},
                now::get);
    }

    /** Starts a real warm shell over a local {@code sh}. */
    private WarmShell realShell(Duration timeout) {
        try {
            LocalShChannel channel = LocalShChannel.start("true");
            channels.add(channel);
            return WarmShell.start(channel, "test", timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WarmShell failing(Duration timeout) {
        throw new RemoteShellException(
                "test",
                RemoteShellException.Kind.TIMEOUT,
                "the warm shell did not answer within " + timeout.toMillis() + " ms",
                null);
    }

    @Test
    void describingOrRunningStartsNoWarmShell() {
        WarmSlot slot = slot(this::realShell);

        assertThat(slot.describe()).isEqualTo("no warm shell (none started)");
        assertThat(slot.tryRun(RemoteCommand.of("true"), TIMEOUT, null, Duration.ZERO))
                .isEmpty();
        assertThat(starts).hasValue(0);
    }

    @Test
    void aWarmShellThePreparationStartedIsReusedAsItIs() {
        WarmSlot slot = slot(this::realShell);

        assertThat(slot.prepare(TIMEOUT)).startsWith("started a warm shell (pid ");
        assertThat(slot.describe()).startsWith("its warm shell (pid ");
        assertThat(slot.prepare(TIMEOUT)).startsWith("its warm shell (pid ");
        assertThat(slot.tryRun(RemoteCommand.of("echo", "warm"), TIMEOUT, null, Duration.ZERO)
                        .orElseThrow()
                        .stdout())
                .isEqualTo("warm\n");
        assertThat(starts).hasValue(1);
    }

    @Test
    void aFailedStartIsRememberedAndNotTriedAgainBeforeItsTime() {
        WarmSlot slot = slot(WarmSlotTest::failing);

        assertThat(slot.prepare(TIMEOUT)).contains("did not answer within 10000 ms");
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(slot.prepare(TIMEOUT))
                .isEqualTo(
                        "no warm shell (its last start failed 20 s ago: test: the warm shell did not answer within 10000 ms)");
        assertThat(slot.describe()).startsWith("no warm shell (its last start failed 20 s ago");
        assertThat(starts).hasValue(1);

        now.addAndGet(WarmSlot.RETRY_AFTER_FAILURE.toNanos());
        slot.prepare(TIMEOUT);
        assertThat(starts).hasValue(2);
    }

    @Test
    void aStartUnderWayMakesNobodyWait() throws Exception {
        HeldStart held = heldStart();
        WarmSlot slot = held.slot();
        CompletableFuture<String> monitor = held.monitor();

        // Both return while the start still waits: neither is behind it.
        assertThat(slot.prepare(TIMEOUT)).isEqualTo("no warm shell (one is starting)");
        assertThat(slot.describe()).isEqualTo("no warm shell (one is starting)");
        assertThat(slot.tryRun(RemoteCommand.of("true"), TIMEOUT, null, Duration.ZERO))
                .isEmpty();
        assertThat(monitor).isNotDone();

        held.release().countDown();
        assertThat(monitor.get(10, TimeUnit.SECONDS)).startsWith("started a warm shell");
        assertThat(starts).hasValue(1);
    }

    @Test
    void aCommandWaitsForAStartUnderWayAtMostTheLoginShellsCostAndOnlyOnce() throws Exception {
        HeldStart held = heldStart();
        WarmSlot slot = held.slot();

        long before = System.nanoTime();
        assertThat(slot.tryRun(RemoteCommand.of("true"), TIMEOUT, null, Duration.ofMillis(200)))
                .isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - before))
                .isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));

        // The same start again (a login shell that never answers): no second wait, the exec channel at once.
        before = System.nanoTime();
        assertThat(slot.tryRun(RemoteCommand.of("true"), TIMEOUT, null, Duration.ofSeconds(10)))
                .isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        held.release().countDown();
    }

    @Test
    void aCommandThatWaitsForAStartUnderWayRunsInTheShellItOpens() throws Exception {
        HeldStart held = heldStart();
        WarmSlot slot = held.slot();
        AtomicReference<Thread> waiter = new AtomicReference<>();

        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            return slot.tryRun(RemoteCommand.of("echo", "waited"), TIMEOUT, null, Duration.ofSeconds(10))
                    .orElseThrow()
                    .stdout();
        });
        Awaitility.await()
                .atMost(TIMEOUT)
                .until(() -> waiter.get() != null && waiter.get().getState() == Thread.State.TIMED_WAITING);
        held.release().countDown();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("waited\n");
        assertThat(starts).hasValue(1);
    }

    @Test
    void anInterruptedCommandWaitingForAStartRunsNothing() throws Exception {
        HeldStart held = heldStart();
        WarmSlot slot = held.slot();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Duration patience = Duration.ofSeconds(60); // far beyond the asserted 2 s: only the interrupt can end the wait
        Thread caller = new Thread(() -> {
            try {
                outcome.complete("ran: " + slot.tryRun(RemoteCommand.of("true"), patience, null, patience));
            } catch (RemoteShellException e) {
                outcome.complete(e.getMessage() + "; interrupted flag "
                        + Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        Awaitility.await().atMost(TIMEOUT).until(() -> caller.getState() == Thread.State.TIMED_WAITING);

        caller.interrupt();
        assertThat(outcome.get(2, TimeUnit.SECONDS))
                .as("nothing ran, over the warm shell or an exec channel")
                .endsWith("interrupted while waiting for the warm shell's start; interrupted flag true");
        held.release().countDown();
        assertThat(held.monitor().get(10, TimeUnit.SECONDS)).startsWith("started a warm shell");
        assertThat(slot.describe()).as("the shell the start opened is intact").startsWith("its warm shell (pid ");
    }

    @Test
    void aFailoverStartsAWarmShellBesideItsCommandsAndWaitsForNone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WarmSlot slot = slot(t -> {
            await(release);
            return realShell(t);
        });

        assertThat(slot.startBeside(TIMEOUT))
                .isEqualTo("no warm shell yet (starting one beside the failover's commands)");
        assertThat(slot.startBeside(TIMEOUT)).isEqualTo("no warm shell (one is starting)");
        assertThat(slot.tryRun(RemoteCommand.of("true"), TIMEOUT, null, Duration.ZERO))
                .isEmpty();

        release.countDown();
        assertThat(slot.tryRun(RemoteCommand.of("echo", "warm"), TIMEOUT, null, Duration.ofSeconds(10))
                        .orElseThrow()
                        .stdout())
                .isEqualTo("warm\n");
        assertThat(slot.startBeside(TIMEOUT)).startsWith("its warm shell (pid ");
        assertThat(starts).hasValue(1);
    }

    @Test
    void aFailoverStartsNoneWhereTheLastStartFailedRecently() {
        WarmSlot slot = slot(WarmSlotTest::failing);
        slot.prepare(TIMEOUT);

        assertThat(slot.startBeside(TIMEOUT)).startsWith("no warm shell (its last start failed 0 s ago");
        assertThat(starts).hasValue(1);
    }

    @Test
    void anEndedWarmShellIsClosedBeforeAnotherStarts() {
        WarmSlot slot = slot(this::realShell);
        slot.prepare(TIMEOUT);
        LocalShChannel first = channels.get(0);

        first.ended = true;
        assertThat(slot.describe())
                .startsWith("no warm shell (the warm shell (pid ")
                .endsWith(" has ended)");
        assertThat(slot.prepare(TIMEOUT)).startsWith("started a warm shell");

        assertThat(first.closes).hasPositiveValue();
        assertThat(first.process.isAlive()).isFalse();
        assertThat(starts).hasValue(2);
    }

    @Test
    void closingWhileAStartIsUnderWayClosesWhatItStarts() throws Exception {
        HeldStart held = heldStart();
        WarmSlot slot = held.slot();
        CompletableFuture<String> monitor = held.monitor();

        CompletableFuture.runAsync(slot::close).get(5, TimeUnit.SECONDS);
        held.release().countDown();

        assertThat(monitor.get(10, TimeUnit.SECONDS)).isEqualTo("no warm shell (closed)");
        assertThat(channels.get(0).closes).hasPositiveValue();
        assertThat(slot.describe()).isEqualTo("no warm shell (closed)");
        assertThat(slot.prepare(TIMEOUT)).isEqualTo("no warm shell (closed)");
        assertThat(starts).hasValue(1);
    }

    /** A slot whose monitor's preparation has begun a start that waits for {@code release}. */
    private record HeldStart(WarmSlot slot, CompletableFuture<String> monitor, CountDownLatch release) {}

    private HeldStart heldStart() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WarmSlot slot = slot(t -> {
            entered.countDown();
            await(release);
            return realShell(t);
        });
        CompletableFuture<String> monitor = CompletableFuture.supplyAsync(() -> slot.prepare(TIMEOUT));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        return new HeldStart(slot, monitor, release);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

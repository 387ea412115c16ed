package io.mha4j.internal.monitor;

import io.mha4j.monitor.Evidence;
import io.mha4j.monitor.MonitorProbes;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slow opinions on a failing master — SSH to its host and {@code secondary_check_script} —
 * started in the background at the first failed ping, as MHA forks them, so that they are in
 * by the time the count of failed pings reaches the limit.
 */
final class SecondOpinions {
    private static final Logger log = LoggerFactory.getLogger(SecondOpinions.class);

    private final Future<Optional<Boolean>> ssh;
    private final Future<OptionalInt> secondary;

    private SecondOpinions(Future<Optional<Boolean>> ssh, Future<OptionalInt> secondary) {
        this.ssh = ssh;
        this.secondary = secondary;
    }

    static SecondOpinions start(ExecutorService pool, MonitorProbes probes) {
        return new SecondOpinions(pool.submit(probes::sshReachable), pool.submit(probes::secondaryCheck));
    }

    /** What SSH said, if it has answered; a wait of zero takes only what is in. */
    Optional<Boolean> ssh(Duration wait) {
        return get(ssh, wait, "SSH check").orElse(Optional.empty());
    }

    /**
     * The script's exit code: empty when none is configured (or, for a wait of zero, not yet in);
     * {@link Evidence#SECONDARY_CHECK_DID_NOT_FINISH} when it did not finish within {@code wait}.
     */
    OptionalInt secondary(Duration wait) {
        Optional<OptionalInt> result = get(secondary, wait, "secondary_check_script");
        if (result.isEmpty() && !wait.isZero()) {
            return OptionalInt.of(Evidence.SECONDARY_CHECK_DID_NOT_FINISH);
        }
        return result.orElse(OptionalInt.empty());
    }

    private static <T> Optional<T> get(Future<T> future, Duration wait, String what) {
        if (wait.isZero() && !future.isDone()) {
            return Optional.empty();
        }
        try {
            return Optional.of(future.get(wait.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            log.warn("{} gave no answer within {} ms", what, wait.toMillis());
            return Optional.empty();
        } catch (ExecutionException e) {
            log.warn("{} failed: {}", what, String.valueOf(e.getCause()));
            return Optional.empty();
        } catch (CancellationException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Stops both (a running script is killed). */
    void cancel() {
        ssh.cancel(true);
        secondary.cancel(true);
    }
}

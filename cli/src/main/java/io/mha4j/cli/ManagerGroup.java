package io.mha4j.cli;

import io.mha4j.manager.StopRequest;
import io.mha4j.manager.Supervisor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several applications' managers in one process ({@code mha4j manager --conf=a.cnf --conf=b.cnf}),
 * none able to disturb another: each runs on a thread of its own named for its application
 * ({@code mha4j-manager-app1}), tagged so that its log lines are its own ({@link ApplicationTag});
 * whatever one throws ends that one alone, as an error (exit 1). {@link #stop()} stops them all;
 * {@code stop --conf=app1.cnf} stops app1 alone ({@link StopRequest}).
 * {@link #run()} returns when every one has ended, with the worst of their exit codes.
 */
final class ManagerGroup {
    private static final Logger log = LoggerFactory.getLogger(ManagerGroup.class);

    /** One application's manager as the group runs it: a {@link Supervisor} in production. */
    interface Member {
        String application();

        /** Runs the manager until it ends; blocks. */
        Supervisor.Result run();

        /** Asks a running (or not yet running) {@link #run()} to end; from any thread. */
        void stop();

        /** Where {@code stop --conf=<its file>} asks for this application alone. */
        StopRequest stopRequest();
    }

    private static final Duration STOP_REQUESTS_EVERY = Duration.ofMillis(500);

    private final List<Member> members;

    ManagerGroup(List<Member> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no application to manage");
        }
        HashSet<String> names = new HashSet<>();
        for (Member m : members) {
            if (!names.add(m.application())) {
                throw new IllegalArgumentException("application " + m.application() + " twice in one process");
            }
        }
        this.members = List.copyOf(members);
    }

    /**
     * Runs every member on its own thread until all have ended; their worst exit code. With several
     * members, each may be stopped alone by {@code stop} ({@link StopRequest}).
     */
    int run() {
        List<CompletableFuture<Supervisor.Result>> ends = new ArrayList<>();
        ScheduledExecutorService stopRequests = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "mha4j-stop-requests");
            t.setDaemon(true);
            return t;
        });
        if (members.size() > 1) {
            long pid = ProcessHandle.current().pid();
            members.forEach(m -> offer(m, pid));
            Set<String> asked = ConcurrentHashMap.newKeySet();
            stopRequests.scheduleWithFixedDelay(
                    () -> stopRequested(asked),
                    STOP_REQUESTS_EVERY.toMillis(),
                    STOP_REQUESTS_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        for (Member m : members) {
            CompletableFuture<Supervisor.Result> end = new CompletableFuture<>();
            ends.add(end);
            Thread t = new Thread(
                    () -> {
                        ApplicationTag.set(m.application());
                        try {
                            end.complete(isolated(m));
                        } finally {
                            // A VirtualMachineError went through: the others' end must not wait for this one.
                            end.complete(new Supervisor.Result(1, "ended abnormally"));
                            m.stopRequest().withdraw();
                        }
                    },
                    "mha4j-manager-" + m.application());
            t.start();
        }
        try {
            int code = 0;
            for (CompletableFuture<Supervisor.Result> end : ends) {
                code = worse(code, end.join().exitCode());
            }
            return code;
        } finally {
            stopRequests.shutdownNow();
        }
    }

    private static void offer(Member m, long pid) {
        try {
            m.stopRequest().offer(pid);
        } catch (RuntimeException e) {
            log.warn(
                    "{}: cannot be stopped alone ({}): stop --conf=<its file> stops the whole process",
                    m.application(),
                    e.toString());
        }
    }

    /** Stops each member whose stop was requested, once; a scheduled task: it logs what fails and goes on. */
    private void stopRequested(Set<String> asked) {
        for (Member m : members) {
            try {
                if (m.stopRequest().requested() && asked.add(m.application())) {
                    log.info(
                            "{}: stop requested ({}): stopping this application; the others go on",
                            m.application(),
                            m.stopRequest().requestFile());
                    m.stop();
                }
            } catch (RuntimeException e) {
                log.warn("{}: cannot read its stop request: {}", m.application(), e.toString());
            }
        }
    }

    /** Asks every member to end; safe from any thread (a shutdown hook), any number of times. */
    void stop() {
        members.forEach(Member::stop);
    }

    private static Supervisor.Result isolated(Member m) {
        try {
            Supervisor.Result result = m.run();
            log.info("{}: manager ended (exit {}): {}", m.application(), result.exitCode(), result.summary());
            return result;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            log.error("{}: manager failed ({}); the other applications go on", m.application(), e.toString(), e);
            return new Supervisor.Result(1, e.toString());
        }
    }

    /**
     * MHA's exit codes, worst first: an error (1, or any code but 0 and 10) before a partial failover
     * (10) before success (0). A script that tests for 0 sees that something went wrong either way.
     */
    static int worse(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        return switch (code) {
            case 0 -> 0;
            case 10 -> 1;
            default -> 2;
        };
    }
}

package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mha4j.manager.StopRequest;
import io.mha4j.manager.Supervisor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagerGroupTest {
    @TempDir
    static Path WORKDIR;

    /** A manager that runs until stopped (then its code), or ends at once with what {@code end} gives. */
    private static final class FakeManager implements ManagerGroup.Member {
        final String application;
        final Supplier<Supervisor.Result> end;
        final CompletableFuture<String> thread = new CompletableFuture<>();
        final CompletableFuture<Void> stopped = new CompletableFuture<>();
        final StopRequest stopRequest;

        FakeManager(String application, Supplier<Supervisor.Result> end) {
            this.application = application;
            this.end = end;
            this.stopRequest = new StopRequest(WORKDIR, application);
        }

        static FakeManager untilStopped(String application) {
            return new FakeManager(application, null);
        }

        @Override
        public StopRequest stopRequest() {
            return stopRequest;
        }

        @Override
        public String application() {
            return application;
        }

        @Override
        public Supervisor.Result run() {
            thread.complete(Thread.currentThread().getName());
            if (end != null) {
                return end.get();
            }
            stopped.orTimeout(30, TimeUnit.SECONDS).join();
            return new Supervisor.Result(0, "stopped");
        }

        @Override
        public void stop() {
            stopped.complete(null);
        }
    }

    @Test
    void oneApplicationThatThrowsEndsAloneAndTheGroupExits1OnceTheOthersAreStopped() {
        FakeManager broken = new FakeManager("app1", () -> {
            throw new IllegalStateException("boom");
        });
        FakeManager healthy = FakeManager.untilStopped("app2");
        ManagerGroup group = new ManagerGroup(List.of(broken, healthy));
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(group::run);

        assertThat(healthy.thread.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("mha4j-manager-app2");
        assertThat(broken.thread.join()).isEqualTo("mha4j-manager-app1");
        assertThat(code).isNotDone();
        assertThat(healthy.stopped).isNotDone();

        group.stop();
        assertThat(code.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(1);
    }

    @Test
    void theExitCodeIsTheWorstOfTheApplications() {
        ManagerGroup group = new ManagerGroup(List.of(
                new FakeManager("app1", () -> new Supervisor.Result(0, "ok")),
                new FakeManager("app2", () -> new Supervisor.Result(10, "partial")),
                new FakeManager("app3", () -> new Supervisor.Result(0, "ok"))));
        assertThat(CompletableFuture.supplyAsync(group::run)
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join())
                .isEqualTo(10);
        assertThat(ManagerGroup.worse(10, 1)).isEqualTo(1);
        assertThat(ManagerGroup.worse(1, 10)).isEqualTo(1);
        assertThat(ManagerGroup.worse(0, 10)).isEqualTo(10);
        assertThat(ManagerGroup.worse(0, 0)).isZero();
    }

    @Test
    void aStopBeforeTheApplicationsRunStillEndsThem() {
        FakeManager one = FakeManager.untilStopped("app1");
        FakeManager two = FakeManager.untilStopped("app2");
        ManagerGroup group = new ManagerGroup(List.of(one, two));
        group.stop();
        assertThat(CompletableFuture.supplyAsync(group::run)
                        .orTimeout(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS)
                        .join())
                .isZero();
    }

    @Test
    void oneApplicationIsStoppedAloneByItsStopRequestAndItsMarkGoesWithIt() {
        FakeManager one = FakeManager.untilStopped("app1");
        FakeManager two = FakeManager.untilStopped("app2");
        ManagerGroup group = new ManagerGroup(List.of(one, two));
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(group::run);
        two.thread.orTimeout(10, TimeUnit.SECONDS).join();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> two.stopRequest.offeredBy(ProcessHandle.current().pid()));

        two.stopRequest.request();
        two.stopped.orTimeout(10, TimeUnit.SECONDS).join();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !two.stopRequest.offeredBy(ProcessHandle.current().pid()));
        assertThat(two.stopRequest.requested()).as("withdrawn with the mark").isFalse();
        assertThat(one.stopped).isNotDone();
        assertThat(one.stopRequest.offeredBy(ProcessHandle.current().pid())).isTrue();

        group.stop();
        assertThat(code.orTimeout(10, TimeUnit.SECONDS).join()).isZero();
    }

    @Test
    void oneApplicationTwiceIsRefused() {
        assertThatThrownBy(() ->
                        new ManagerGroup(List.of(FakeManager.untilStopped("app1"), FakeManager.untilStopped("app1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("app1");
    }
}

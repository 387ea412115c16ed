package io.mha4j.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.check.Finding;
import io.mha4j.check.FindingKind;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.failover.FailoverReport;
import io.mha4j.remote.RemoteShells;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager's guard of old masters when several managers share the application: it pauses while
 * this manager does not lead and resumes with what it guarded; the dead master of another manager's
 * failover is left out, and guarded once this one leads. The servers' ports refuse connections.
 */
class GuardingTest {
    @TempDir
    Path workdir;

    private final ApplicationConfig config = ManagerFixtures.refusingServers();

    private ServerConfig server(int i) {
        return config.server("server" + i).orElseThrow();
    }

    private static List<String> blocks(List<ServerConfig> servers) {
        return servers.stream().map(ServerConfig::block).toList();
    }

    private FailoverReport promoted(ServerConfig dead, ServerConfig next) {
        return ManagerFixtures.report(
                dead.displayName(), Optional.of(next.displayName()), FailoverReport.Outcome.SUCCEEDED);
    }

    @Test
    void aGuardPausedWhileAnotherManagerLeadsResumesWithWhatItGuarded() {
        try (RemoteShells shells = RemoteShells.forApplication(config);
                Guarding guarding = new Guarding(config, shells, workdir, List.of())) {
            assertThat(blocks(guarding.after(promoted(server(1), server(2)), Instant.now())))
                    .containsExactly("server1");

            guarding.pause("this manager no longer leads app1");
            assertThat(guarding.guarded())
                    .as("nobody guarded while another may act")
                    .isEmpty();
            assertThat(guarding.monitored().server("server1"))
                    .as("still left out of monitoring")
                    .isEmpty();

            guarding.resume(server(2));
            assertThat(blocks(guarding.guarded())).containsExactly("server1");
            guarding.resume(server(2));
            assertThat(blocks(guarding.guarded())).as("guarded once").containsExactly("server1");
        }
    }

    @Test
    void theDeadMasterOfAnotherManagersFailoverIsLeftOutAndGuardedOnceThisOneLeads() {
        Instant then = Instant.now().minusSeconds(60);
        FailoverRecord other = FailoverRecord.begin(Optional.empty(), "other-manager", "server3", then)
                .ended(FailoverRecord.State.SUCCEEDED, Optional.of("server1"), then);
        ReplicationHealth failsOnServer3 = new ReplicationHealth(
                Optional.empty(),
                List.of(Finding.error(
                        FindingKind.SERVER_UNREACHABLE, "server3", "server3 is dead, but must be alive!")),
                Duration.ZERO);
        ReplicationHealth failsOnServer2 = new ReplicationHealth(
                Optional.empty(),
                List.of(Finding.error(FindingKind.SERVER_UNREACHABLE, "server2", "server2 is dead")),
                Duration.ZERO);
        try (RemoteShells shells = RemoteShells.forApplication(config);
                Guarding guarding = new Guarding(config, shells, workdir, List.of())) {
            assertThat(guarding.leaveOutDeadMasterOf(Optional.of(other), failsOnServer2))
                    .as("another server's failure is not the dead master's")
                    .isFalse();
            assertThat(guarding.leaveOutDeadMasterOf(Optional.of(other), failsOnServer3))
                    .isTrue();
            assertThat(guarding.monitored().server("server3")).isEmpty();
            assertThat(guarding.guarded()).as("a standby guards nothing").isEmpty();

            guarding.resume(server(1));
            assertThat(blocks(guarding.guarded())).containsExactly("server3");
        }
    }
}

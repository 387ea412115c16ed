package io.mha4j.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.failover.FailoverGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagerFilesTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration EIGHT_HOURS = Duration.ofMinutes(480);

    @TempDir
    Path dir;

    @Test
    void theStatusFileIsMhasOneLineAndItsMtimeIsTheHeartbeat() throws Exception {
        StatusFile f = new StatusFile(dir, "app1");
        f.update(14410, ManagerStatus.INITIALIZING_MONITOR, Optional.empty(), T0);
        assertThat(Files.readString(dir.resolve("app1.master_status.health")))
                .isEqualTo("14410\t10:INITIALIZING_MONITOR");
        f.update(14410, ManagerStatus.PING_OK, Optional.of("10.0.0.51"), T0.plusSeconds(3));
        assertThat(Files.readString(f.path())).isEqualTo("14410\t0:PING_OK\tmaster:10.0.0.51");
        f.update(14410, ManagerStatus.PING_OK, Optional.of("10.0.0.51"), T0.plusSeconds(6));
        assertThat(f.read()).hasValueSatisfying(e -> {
            assertThat(e.pid()).isEqualTo(14410);
            assertThat(e.parsedStatus()).contains(ManagerStatus.PING_OK);
            assertThat(e.master()).contains("10.0.0.51");
            assertThat(e.modified()).isEqualTo(T0.plusSeconds(6));
        });
        f.delete();
        assertThat(f.read()).isEmpty();
    }

    @Test
    void onlyOneLockPerApplication() {
        try (ManagerLock first = ManagerLock.tryAcquire(dir, "app1").orElseThrow()) {
            assertThat(ManagerLock.tryAcquire(dir, "app1")).isEmpty();
            assertThat(ManagerLock.isHeld(dir, "app1")).isTrue();
            assertThat(ManagerLock.isHeld(dir, "app2")).isFalse();
        }
        assertThat(ManagerLock.isHeld(dir, "app1")).isFalse();
    }

    /** The refusal's words, or empty when the rule lets a failover through. */
    private static Optional<String> why(FailoverGuard guard, Instant now, boolean ignoreLastFailover) {
        return guard.block(now, EIGHT_HOURS, ignoreLastFailover).map(FailoverGuard.Block::message);
    }

    @Test
    void aRecentFailoverBlocksTheNextUntilLastFailoverMinuteHasPassed() {
        FailoverGuard g = new FailoverGuard(dir, "app1");
        assertThat(why(g, T0, false)).isEmpty();
        g.markComplete(T0);
        assertThat(why(g, T0.plus(Duration.ofHours(7)), false))
                .hasValueSatisfying(r -> assertThat(r)
                        .startsWith("Last failover was done at ")
                        .contains("too early to do failover again"));
        assertThat(why(g, T0.plus(Duration.ofHours(8)).plusSeconds(1), false)).isEmpty();
        assertThat(g.completeFile()).doesNotExist();
    }

    @Test
    void aRefusalNamesWhatItsReaderCanDo() {
        new FailoverGuard(dir, "app1").markComplete(T0);
        Instant later = T0.plusSeconds(60);
        assertThat(why(new FailoverGuard(dir, "app1"), later, false))
                .hasValueSatisfying(r -> assertThat(r)
                        .contains("run acknowledge with a reason")
                        .contains("use --ignore_last_failover")
                        .endsWith("and run this script again."));
        FailoverGuard java = new FailoverGuard(dir, "app1", FailoverGuard.Wording.MANAGER_API);
        assertThat(java.block(later, EIGHT_HOURS, false)).hasValueSatisfying(b -> {
            assertThat(b.kind()).isEqualTo(FailoverGuard.Block.Kind.TOO_EARLY);
            assertThat(b.flag()).isEqualTo(java.completeFile());
            assertThat(b.lastFailover()).contains(T0);
            assertThat(b.message())
                    .contains("MhaManager.acknowledgeFailover(who, reason)")
                    .contains("MhaManager.Builder.ignoreLastFailover(true)")
                    .doesNotContain("--")
                    .doesNotContain("script");
        });
        new FailoverGuard(dir, "app1").markError(T0, "rewiring failed");
        FailoverGuard failoverApi = new FailoverGuard(dir, "app1", FailoverGuard.Wording.FAILOVER_API);
        assertThat(failoverApi.block(later, EIGHT_HOURS, false)).hasValueSatisfying(b -> {
            assertThat(b.kind()).isEqualTo(FailoverGuard.Block.Kind.LAST_FAILOVER_FAILED);
            assertThat(b.message())
                    .contains("FailoverGuard.acknowledge(")
                    .endsWith("and run the failover again.")
                    .doesNotContain("script");
        });
    }

    @Test
    void ignoreLastFailoverRemovesBothFlagsAsMhaDoes() {
        FailoverGuard g = new FailoverGuard(dir, "app1");
        g.markComplete(T0);
        g.markError(T0, "rewiring failed");
        assertThat(why(g, T0.plusSeconds(60), false))
                .hasValueSatisfying(
                        r -> assertThat(r).startsWith("Failover error flag file " + g.errorFile() + " exists."));
        assertThat(why(g, T0.plusSeconds(60), true)).isEmpty();
        assertThat(g.errorFile()).doesNotExist();
        assertThat(g.completeFile()).doesNotExist();
    }

    @Test
    void anAcknowledgmentClearsTheBlockAndKeepsTheReason() throws Exception {
        FailoverGuard g = new FailoverGuard(dir, "app1");
        g.markError(T0, "rewiring failed");
        assertThatThrownBy(() -> g.acknowledge(T0, "dba", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(g.acknowledge(T0.plusSeconds(5), "dba", "replicas fixed by hand"))
                .containsExactly(g.errorFile());
        assertThat(why(g, T0.plusSeconds(6), false)).isEmpty();
        assertThat(Files.readString(dir.resolve("app1.failover.ack")))
                .contains("dba")
                .contains("replicas fixed by hand");
    }

    @Test
    void checkStatusReadsLockAndFileAsMhaPrintsThem() {
        Duration ping = Duration.ofSeconds(3);
        assertThat(StatusCheck.of("app1", dir, ping, Optional.empty(), T0).lines())
                .containsExactly("app1 is stopped(2:NOT_RUNNING).");
        StatusFile f = new StatusFile(dir, "app1");
        f.update(99, ManagerStatus.PING_OK, Optional.of("10.0.0.51"), T0);
        assertThat(StatusCheck.of("app1", dir, ping, Optional.empty(), T0).status())
                .as("a status file without a live manager is stale")
                .isEqualTo(ManagerStatus.NOT_RUNNING);
        try (ManagerLock lock = ManagerLock.tryAcquire(dir, "app1").orElseThrow()) {
            StatusCheck ok = StatusCheck.of("app1", dir, ping, Optional.empty(), T0.plusSeconds(2));
            assertThat(ok.status().code()).isZero();
            assertThat(ok.lines()).containsExactly("app1 (pid:99) is running(0:PING_OK), master:10.0.0.51");
            StatusCheck old = StatusCheck.of("app1", dir, ping, Optional.empty(), T0.plusSeconds(16));
            assertThat(old.status().code()).isEqualTo(32);
            assertThat(old.lines().get(1))
                    .isEqualTo(
                            "app1 is running, but master_ping.health is too old(32:TIMESTAMP_OLD). Maybe process hangs? master:10.0.0.51");
            f.update(99, ManagerStatus.PING_FAILING, Optional.of("10.0.0.51"), T0);
            assertThat(StatusCheck.of("app1", dir, ping, Optional.of("/var/log/mha/app1/manager"), T0)
                            .lines())
                    .containsExactly(
                            "app1 master maybe down(20:PING_FAILING). master:10.0.0.51",
                            "Check /var/log/mha/app1/manager for details.");
            f.update(99, ManagerStatus.INITIALIZING_MONITOR, Optional.empty(), T0);
            assertThat(StatusCheck.of("app1", dir, ping, Optional.empty(), T0)
                            .status()
                            .code())
                    .isEqualTo(10);
            new MonitoringNote(dir, "app1")
                    .write(
                            "monitors master server1 with replicas [server2]",
                            List.of(
                                    MonitoringNote.STANDING_BY + "another manager leads (leader host-b/42)",
                                    "manager host-b/42 (leader): master server1 ALIVE, last ping"
                                            + " 2026-12-07T08:00:00Z (ok)"));
            StatusCheck standby = StatusCheck.of("app1", dir, ping, Optional.empty(), T0);
            assertThat(standby.status().code())
                    .as("MHA's code, for its scripts")
                    .isEqualTo(10);
            assertThat(standby.lines())
                    .containsExactly(
                            "app1 monitoring program is now on initialization phase(10:INITIALIZING_MONITOR). Wait for a"
                                    + " while and try checking again.",
                            "app1: this manager stands by: another manager leads (leader host-b/42)");
            f.update(99, ManagerStatus.PING_OK, Optional.of("10.0.0.51"), T0);
            assertThat(StatusCheck.of("app1", dir, ping, Optional.empty(), T0).lines())
                    .as("a standby monitors too; check_status lists the managers after MHA's line")
                    .containsExactly(
                            "app1 (pid:99) is running(0:PING_OK), master:10.0.0.51",
                            "app1: this manager stands by: another manager leads (leader host-b/42)",
                            "app1: manager host-b/42 (leader): master server1 ALIVE, last ping 2026-12-07T08:00:00Z"
                                    + " (ok)");
            f.update(99, ManagerStatus.FAILOVER_ERROR, Optional.of("10.0.0.51"), T0);
            assertThat(StatusCheck.of("app1", dir, ping, Optional.empty(), T0)
                            .lines()
                            .get(0))
                    .isEqualTo(
                            "app1 master is down and failover was not successful(51:FAILOVER_ERROR). master:10.0.0.51");
        }
    }
}

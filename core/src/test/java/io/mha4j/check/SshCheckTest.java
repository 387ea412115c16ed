package io.mha4j.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteFile;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShells;
import io.mha4j.remote.SshTarget;
import io.mha4j.spi.RemoteShellProvider;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The scheduling of check_ssh's routes, on fake hosts: every route at once when hosts are
 * distinct, never more than the bounds over one connection or into one sshd, nothing run from
 * a host the manager cannot reach, and the result in MHA's order whatever the order of running.
 */
class SshCheckTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Servers on hosts 10.0.0.1… (or all on 10.0.0.1 when {@code oneHost}). */
    private static ApplicationConfig config(int servers, boolean oneHost) {
        ApplicationConfig.Builder b =
                ApplicationConfig.builder("app1").user("mha").password("secret").sshUser("root");
        for (int i = 1; i <= servers; i++) {
            String host = "10.0.0." + (oneHost ? 1 : i);
            int port = 3305 + i;
            b.server("server" + i, s -> s.hostname(host).port(port));
        }
        return b.build();
    }

    @Test
    void everyRouteRunsAtOnceWhenEachServerHasAHostOfItsOwn() {
        // Each route waits until all 30 are running: a schedule that ran fewer at once would time out.
        FakeHosts hosts = new FakeHosts(30);
        ApplicationConfig config = config(6, false);

        SshCheckResult result = new SshCheck(config, new RemoteShells(hosts)).run();

        assertThat(result.failures()).isEmpty();
        assertThat(hosts.maxInFlight.get()).isEqualTo(30);
        assertThat(result.pairs()).hasSize(6 + 30);
        assertThat(result.pairs().subList(0, 6)).extracting(SshPair::from).containsOnly(SshPair.MANAGER);
        assertThat(result.pairs().subList(0, 6))
                .extracting(SshPair::to)
                .containsExactly(names(config).toArray(String[]::new));
        List<String> mhaOrder = new ArrayList<>();
        for (String from : names(config)) {
            for (String to : names(config)) {
                if (!from.equals(to)) {
                    mhaOrder.add(from + " -> " + to);
                }
            }
        }
        assertThat(result.pairs().subList(6, 36))
                .extracting(p -> p.from() + " -> " + p.to())
                .containsExactlyElementsOf(mhaOrder);
    }

    @Test
    void managerRoutesOnlyReachesEveryHostAtOnceAndRunsNothingFromThem() {
        // Each manager route waits until all 8 hosts are being reached: one after another would time out.
        FakeHosts hosts = new FakeHosts(1);
        hosts.managerTogether = new CountDownLatch(8);
        ApplicationConfig config = config(8, false);

        SshCheckResult result = new SshCheck(config, new RemoteShells(hosts))
                .managerRoutesOnly()
                .run();

        assertThat(result.failures()).isEmpty();
        assertThat(result.pairs()).extracting(SshPair::from).containsOnly(SshPair.MANAGER);
        assertThat(result.pairs())
                .extracting(SshPair::to)
                .containsExactly(names(config).toArray(String[]::new));
        assertThat(hosts.managerTests.get()).isEqualTo(8);
        assertThat(hosts.routesFrom).isEmpty();
    }

    @Test
    void aSourceRunsAtMostEightRoutesAtOnceOverItsOneConnection() {
        // Only 10.0.0.1 answers the manager: its 11 routes share its connection (and aim at 11 sshds).
        FakeHosts hosts = new FakeHosts(SshCheck.ROUTES_PER_CONNECTION);
        for (int i = 2; i <= 12; i++) {
            hosts.refusing.add("10.0.0." + i);
        }

        SshCheckResult result = new SshCheck(config(12, false), new RemoteShells(hosts)).run();

        assertThat(result.pairs())
                .filteredOn(p -> p.from().startsWith("root@10.0.0.1("))
                .hasSize(11)
                .allMatch(SshPair::ok);
        assertThat(hosts.maxInFlight.get())
                .as("the bound is reached and never passed")
                .isEqualTo(SshCheck.ROUTES_PER_CONNECTION);
    }

    @Test
    void anSshdReceivesAtMostEightRoutesAtOnce() {
        // 11 sources aim at 10.0.0.1's sshd; their other routes end at once.
        FakeHosts hosts = new FakeHosts(SshCheck.ROUTES_PER_TARGET);
        hosts.gated = "10.0.0.1:22"::equals;

        SshCheckResult result = new SshCheck(config(12, false), new RemoteShells(hosts)).run();

        assertThat(result.failures()).isEmpty();
        assertThat(result.pairs()).hasSize(12 + 132);
        assertThat(hosts.maxIntoOneSshd.get())
                .as("the bound is reached and never passed")
                .isEqualTo(SshCheck.ROUTES_PER_TARGET);
    }

    @Test
    void serversSharingAnSshTargetAreReachedAndTestedOnceForEveryPairTheyStandFor() {
        // 12 instances on one host, as in the sandbox benchmark: every route is the same command on one connection.
        FakeHosts hosts = new FakeHosts(1);
        ApplicationConfig config = config(12, true);

        SshCheckResult result = new SshCheck(config, new RemoteShells(hosts)).run();

        assertThat(result.failures()).isEmpty();
        assertThat(result.pairs()).hasSize(12 + 132);
        assertThat(hosts.opened).hasSize(1);
        assertThat(hosts.managerTests.get()).isEqualTo(1);
        assertThat(hosts.routesFrom.get("10.0.0.1")).containsExactly("10.0.0.1:22");
    }

    @Test
    void aHostTheManagerCannotReachRunsNothingAndItsRoutesAreReportedNotTested() {
        FakeHosts hosts = new FakeHosts(1);
        hosts.refusing.add("10.0.0.2");
        ApplicationConfig config = config(3, false);
        String s2 = SshTarget.of(config.servers().get(1)).name();

        SshCheckResult result = new SshCheck(config, new RemoteShells(hosts)).run();

        assertThat(result.failures())
                .extracting(p -> p.from() + " -> " + p.to() + ": " + p.detail())
                .containsExactly(
                        "manager -> " + s2 + ": " + s2 + ": connection refused",
                        s2 + " -> " + SshTarget.of(config.servers().get(0)).name() + ": not tested: the manager cannot"
                                + " reach " + s2,
                        s2 + " -> " + SshTarget.of(config.servers().get(2)).name() + ": not tested: the manager cannot"
                                + " reach " + s2);
        assertThat(hosts.routesFrom).doesNotContainKey("10.0.0.2");
        assertThat(hosts.routesFrom.get("10.0.0.1")).containsExactlyInAnyOrder("10.0.0.2:22", "10.0.0.3:22");
    }

    @Test
    void aRouteThatFailsSaysWhyWithSshsExitCodeAndFirstErrorLine() {
        FakeHosts hosts = new FakeHosts(1);
        hosts.denied.add("10.0.0.1 -> 10.0.0.3:22");
        ApplicationConfig config = config(3, false);

        SshCheckResult result = new SshCheck(config, new RemoteShells(hosts)).run();

        assertThat(result.failures()).singleElement().satisfies(p -> {
            assertThat(p.from()).isEqualTo(SshTarget.of(config.servers().get(0)).name());
            assertThat(p.to()).isEqualTo(SshTarget.of(config.servers().get(2)).name());
            assertThat(p.detail()).isEqualTo("ssh exited with 255: root@10.0.0.3: Permission denied (publickey).");
        });
    }

    private static List<String> names(ApplicationConfig config) {
        return config.servers().stream().map(s -> SshTarget.of(s).name()).toList();
    }

    /**
     * Hosts that answer {@code true} and run {@code ssh … user@host exit 0} by recording it. A
     * route into a {@code gated} sshd returns once {@code together} such routes have been running
     * at the same moment (or at once, after that has happened): a schedule that never runs that
     * many at once makes routes wait {@link #WAIT} and fail.
     */
    private static final class FakeHosts implements RemoteShellProvider {
        final Set<String> refusing = ConcurrentHashMap.newKeySet();
        final Set<String> denied = ConcurrentHashMap.newKeySet();
        final Map<String, List<String>> routesFrom = new ConcurrentHashMap<>();
        final List<SshTarget> opened = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger maxIntoOneSshd = new AtomicInteger();
        final AtomicInteger managerTests = new AtomicInteger();
        /** Routes into these sshds wait for {@code together}; others end at once. */
        java.util.function.Predicate<String> gated = sshd -> true;
        /** The manager's {@code true} on each host waits until this many are running. */
        CountDownLatch managerTogether = new CountDownLatch(0);

        private final AtomicInteger inFlight = new AtomicInteger();
        private final Map<String, AtomicInteger> intoSshd = new ConcurrentHashMap<>();
        private final CountDownLatch together;

        FakeHosts(int together) {
            this.together = new CountDownLatch(together);
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public RemoteShell create(ServerConfig host) {
            SshTarget target = SshTarget.of(host);
            if (refusing.contains(target.host())) {
                throw new RemoteShellException(target.name(), RemoteShellException.Kind.IO, "connection refused", null);
            }
            opened.add(target);
            return new FakeShell(target);
        }

        private final class FakeShell implements RemoteShell {
            private final SshTarget self;

            FakeShell(SshTarget self) {
                this.self = self;
            }

            @Override
            public String target() {
                return self.name();
            }

            @Override
            public CommandResult run(RemoteCommand command, Duration timeout) {
                List<String> argv = command.argv();
                if (argv.equals(List.of("true"))) {
                    managerTests.incrementAndGet();
                    managerTogether.countDown();
                    try {
                        return managerTogether.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                                ? new CommandResult(0, "", "", Duration.ZERO)
                                : new CommandResult(1, "", "never ran together with the other hosts", WAIT);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RemoteShellException(self.name(), RemoteShellException.Kind.IO, "interrupted", e);
                    }
                }
                assertThat(argv).startsWith("ssh").endsWith("exit", "0");
                String login = argv.get(argv.size() - 3);
                String sshd = login.substring(login.indexOf('@') + 1) + ":" + argv.get(argv.indexOf("-p") + 1);
                routesFrom
                        .computeIfAbsent(self.host(), k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(sshd);
                AtomicInteger into = intoSshd.computeIfAbsent(sshd, k -> new AtomicInteger());
                maxIntoOneSshd.accumulateAndGet(into.incrementAndGet(), Math::max);
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                if (gated.test(sshd)) {
                    together.countDown();
                }
                try {
                    if (gated.test(sshd) && !together.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        return new CommandResult(1, "", "never ran together with enough other routes", WAIT);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RemoteShellException(self.name(), RemoteShellException.Kind.IO, "interrupted", e);
                } finally {
                    inFlight.decrementAndGet();
                    into.decrementAndGet();
                }
                if (denied.contains(self.host() + " -> " + sshd)) {
                    return new CommandResult(255, "", login + ": Permission denied (publickey).\n", Duration.ZERO);
                }
                return new CommandResult(0, "", "", Duration.ZERO);
            }

            @Override
            public InputStream read(String path, long offset) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(String path, InputStream content) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<RemoteFile> stat(String path) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {}
        }
    }
}

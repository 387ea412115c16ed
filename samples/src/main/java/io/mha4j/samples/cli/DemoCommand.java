package io.mha4j.samples.cli;

import ch.qos.logback.classic.Level;
import io.mha4j.FailoverHook;
import io.mha4j.check.ReplicationCheck;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.manager.FailoverAction;
import io.mha4j.manager.ManagerOptions;
import io.mha4j.manager.Supervisor;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.remote.RemoteShells;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.test.TestingCluster;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The README's first command: a sandbox of real MariaDB servers on 127.0.0.1, the pre-flight
 * check, the manager, application writes, kill -9 of the master — and a timeline of what mha4j
 * does about it, then proof that no acknowledged write was lost and the survivors agree. Exits
 * 0 only when all of that holds.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Fail over a sandbox of real MariaDB servers on 127.0.0.1 under write load, and prove nothing was"
                + " lost.")
final class DemoCommand implements Callable<Integer> {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--nodes",
            defaultValue = "3",
            description = "number of servers, 2 to 9 (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--ping_interval", defaultValue = "1", description = "seconds (default: ${DEFAULT-VALUE})")
    int pingInterval;

    @Option(
            names = "--keep",
            description = "keep the cluster running after the demo, until Enter is pressed,"
                    + " to explore it with check_repl and check_status (the printed app1.cnf works with both)")
    boolean keep;

    @Option(names = "--verbose", description = "also show mha4j's own log lines (on stderr)")
    boolean verbose;

    @Option(
            names = "--managers",
            defaultValue = "1",
            description = "managers, 1 to 5: with more than one, each is a process of its own coordinated on a"
                    + " ZooKeeper ensemble (three servers in this JVM); the leading manager is killed first, then"
                    + " the master (default: ${DEFAULT-VALUE})")
    int managers;

    private PrintWriter out;
    private long killedAt;

    @Override
    public Integer call() throws Exception {
        if (nodes < 2 || nodes > 9) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--nodes must be 2 to 9");
        }
        if (managers < 1 || managers > 5) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--managers must be 1 to 5");
        }
        if (pingInterval < 1 || pingInterval > 10) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ping_interval must be 1 to 10");
        }
        if (!verbose) {
            // The timeline below says what happens; the library's own lines would say it twice, and the
            // in-process ZooKeeper servers' (a leader election among themselves, their shutdown) are noise here.
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.mha4j")).setLevel(Level.ERROR);
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.zookeeper")).setLevel(Level.OFF);
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.curator")).setLevel(Level.OFF);
        }
        out = spec.commandLine().getOut();
        say("Starting %d MariaDB servers on 127.0.0.1 (replicas follow node1 by GTID)…", nodes);
        long started = System.nanoTime();
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(nodes).start();
                WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint())
                        .writer("demo")
                        .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                        .build()) {
            say("Sandbox ready in %d ms: %s", ms(System.nanoTime() - started), cluster.directory());
            if (managers > 1) {
                return withManagers(cluster, ledger);
            }
            Path workdir = Files.createDirectories(cluster.directory().resolve("manager"));
            Path conf = writeConfig(cluster, workdir);
            ApplicationConfig config = io.mha4j.config.MhaConfigReader.read(conf);
            say("Configuration, as an MHA user would write it: %s", conf);

            if (!checkReplication(config)) {
                return 1;
            }
            AtomicReference<FailoverReport> report = new AtomicReference<>();
            Supervisor manager = Supervisor.builder(config)
                    // The demo ends with the failover: MHA's exit, no guard of the old master afterwards.
                    .options(ManagerOptions.MHA_DEFAULTS.withSkipSshCheck(true))
                    .listener(verdicts())
                    .failover(FailoverAction.standard(b -> b.hook(timeline(report))))
                    .build();
            CompletableFuture<Supervisor.Result> run = CompletableFuture.supplyAsync(manager::run);
            Awaitility.await("the manager monitoring")
                    .atMost(WAIT)
                    .until(() -> run.isDone() || Files.exists(workdir.resolve("app1.master_status.health")));
            if (run.isDone()) {
                say("The manager did not start: %s", run.join().summary());
                return 1;
            }
            say(
                    "Manager running (ping_interval=%d s), watching %s.",
                    pingInterval, cluster.node(1).name());

            ledger.start(1_000_000, WAIT.multipliedBy(2));
            Awaitility.await("application writes")
                    .atMost(WAIT)
                    .until(() -> ledger.acknowledged().size() >= 200);
            say(
                    "Application writing single-row transactions to the master: %d acknowledged so far.",
                    ledger.acknowledged().size());
            int ackedAtKill = killMaster(cluster, ledger);

            Supervisor.Result result = run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            SandboxNode newMaster = awaitWritesResume(cluster, ledger, ackedAtKill);
            ledger.stop();
            say("");
            say("The manager exited with %d (%s).", result.exitCode(), result.summary());
            boolean ok = result.exitCode() == 0 && newMaster != null && verify(cluster, ledger);
            Optional.ofNullable(report.get()).ifPresent(r -> {
                say("");
                out.print(r.toText());
            });
            say("");
            say(
                    ok
                            ? "Demo passed: the master failed over, no acknowledged write was lost, the survivors agree."
                            : "Demo FAILED: see above.");
            if (keep) {
                explore(conf);
            }
            say("Stopping the sandbox and removing its directories…");
            return ok ? 0 : 1;
        }
    }

    private boolean checkReplication(ApplicationConfig config) {
        try (RemoteShells shells = RemoteShells.forApplication(config)) {
            ReplicationHealth health = new ReplicationCheck(config, shells, Clock.systemUTC())
                    .skipSshCheck(true)
                    .run();
            say(
                    "check_repl: %s (%d ms)",
                    health.isOk() ? "MySQL Replication Health is OK." : "MySQL Replication Health is NOT OK!",
                    health.took().toMillis());
            health.errors().forEach(f -> say("  [error] %s", f.message()));
            return health.isOk();
        }
    }

    private MonitorListener verdicts() {
        return new MonitorListener() {
            @Override
            public void onVerdict(Verdict v) {
                if (killedAt != 0 && v.kind() != VerdictKind.ALIVE) {
                    event("%s: %s", v.kind(), v.reason());
                }
            }
        };
    }

    private FailoverHook timeline(AtomicReference<FailoverReport> report) {
        return new FailoverHook() {
            @Override
            public String name() {
                return "demo-timeline";
            }

            @Override
            public void beforePhase(FailoverPhase phase, FailoverContext context) {
                event("%s…", phase.title());
            }

            @Override
            public void activate(FailoverContext context) {
                event(
                        "  elected %s; it has every transaction; activating it",
                        context.requireNewMaster().displayName());
            }

            @Override
            public void afterPhase(FailoverPhase phase, FailoverContext context) {
                if (phase == FailoverPhase.RECOVER_NEW_MASTER
                        && context.newMaster().isPresent()) {
                    event(
                            "  %s is the new master, writable",
                            context.newMaster().get().displayName());
                }
            }

            @Override
            public void report(FailoverContext context, FailoverReport r) {
                report.set(r);
                r.compensation()
                        .ifPresent(c -> event(
                                "  recovered from the dead master: %s",
                                c.applied()
                                        .map(g -> c.transactions() + " transaction(s) " + g)
                                        .orElse("nothing (" + c.note() + ")")));
                event("failover %s in %d ms", r.outcome(), r.duration().toMillis());
            }
        };
    }

    /** Kills node1's mariadbd (the master), starting the timeline; returns the writes acknowledged before. */
    private int killMaster(SandboxCluster cluster, WriteLedger ledger) {
        say("");
        say(
                "kill -9 of %s's mariadbd (pid %d):",
                cluster.node(1).name(), cluster.node(1).pid());
        killedAt = System.nanoTime();
        cluster.node(1).kill();
        return ledger.acknowledged().size();
    }

    /** The first write the application gets acknowledged after the kill, with progress meanwhile. */
    private SandboxNode awaitWritesResume(SandboxCluster cluster, WriteLedger ledger, int ackedAtKill) {
        try {
            Awaitility.await("writes on the new master")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> ledger.acknowledged().size() > ackedAtKill);
            event(
                    "the application's writes succeed again (%d acknowledged in all)",
                    ledger.acknowledged().size());
            Awaitility.await("more writes")
                    .atMost(WAIT)
                    .until(() -> ledger.acknowledged().size() >= ackedAtKill + 100);
            return cluster.master();
        } catch (ConditionTimeoutException e) {
            say("The application's writes did not resume within %d s.", WAIT.toSeconds());
            return null;
        }
    }

    private boolean verify(SandboxCluster cluster, WriteLedger ledger) {
        cluster.awaitReplicasCaughtUp(WAIT);
        List<SandboxNode> survivors = cluster.nodes().subList(1, nodes);
        LedgerReport r = ledger.verify(survivors);
        say(
                "Verification on %s: %d acknowledged writes, %d of them missing anywhere; checksums %s; %d write(s) in"
                        + " doubt (cut off by the kill; each is on every survivor or on none).",
                survivors,
                r.acknowledged(),
                r.nodes().stream().mapToInt(n -> n.missing().size()).max().orElse(0),
                r.checksumsAgree() ? "agree" : "DIFFER",
                r.inDoubt());
        return r.nothingLostAndAgreed() && r.noPhantoms();
    }

    private void explore(Path conf) throws java.io.IOException {
        say("");
        say("The cluster stays up. In another terminal try:");
        say("  samples/bin/mha4j check_repl --conf=%s --skip_ssh_check", conf);
        say("  samples/bin/mha4j show_conf --conf=%s", conf);
        say("Press Enter to stop it.");
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
    }

    /** The sandbox as an app1.cnf: what a DBA's file says, with the sandbox's ports and paths. */
    private Path writeConfig(SandboxCluster cluster, Path workdir) throws java.io.IOException {
        return cluster.writeApplicationFile(
                workdir.resolve("app1.cnf"),
                "# mha4j demo: a sandbox on 127.0.0.1 (the passwords are the sandbox's own)",
                "ping_interval=" + pingInterval,
                "manager_workdir=" + workdir,
                "remote_workdir=" + workdir,
                "# the sandbox's hosts are this machine: no SSH needed",
                Parameter.REMOTE_SHELL.name() + "=local");
    }

    /**
     * The demo with several managers: each a process of its own (its own file and working directory,
     * as on a host of its own) on a ZooKeeper ensemble; one leads. The application writes; the
     * leading manager is killed with SIGKILL and another leads; then the master is killed and the
     * new leader fails it over; nothing acknowledged is lost.
     */
    private int withManagers(SandboxCluster cluster, WriteLedger ledger) throws Exception {
        try (TestingCluster zookeeper = new TestingCluster(3)) {
            zookeeper.start();
            say(
                    "ZooKeeper ensemble of 3 servers (in this JVM; in production Debian's zookeeper package): %s",
                    zookeeper.getConnectString());
            try (ManagerFleet fleet = new ManagerFleet(
                    cluster,
                    cluster.directory().resolve("managers"),
                    managers,
                    zookeeper.getConnectString(),
                    "/mha4j-demo",
                    4,
                    pingInterval)) {
                for (int i = 1; i <= managers; i++) {
                    fleet.start(i);
                    say(
                            "Manager %d started (pid %d), each with its own app1.cnf and working directory.",
                            i, fleet.process(i).pid());
                }
                int first = fleet.leader().orElseThrow(() -> new IllegalStateException("no manager leads"));
                say("check_status of manager %d:", first);
                fleet.status(first).forEach(line -> say("  %s", line));

                ledger.start(1_000_000, WAIT.multipliedBy(3));
                Awaitility.await("application writes")
                        .atMost(WAIT)
                        .until(() -> ledger.acknowledged().size() >= 200);
                say("");
                say(
                        "kill -9 of the leading manager %d (pid %d):",
                        first, fleet.process(first).pid());
                killedAt = System.nanoTime();
                fleet.kill(first);
                Awaitility.await("another manager leading")
                        .atMost(WAIT)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> fleet.leader().isPresent());
                int next = fleet.leader().getAsInt();
                event("manager %d leads and monitors (the killed one's ZooKeeper session expired: 4 s)", next);

                int ackedAtKill = killMaster(cluster, ledger);
                SandboxNode newMaster = awaitWritesResume(cluster, ledger, ackedAtKill);
                Optional<FailoverRecord> record = Optional.empty();
                try {
                    Awaitility.await("the failover recorded")
                            .atMost(WAIT)
                            .until(() ->
                                    fleet.record().filter(r -> !r.unfinished()).isPresent());
                    record = fleet.record();
                } catch (ConditionTimeoutException e) {
                    say("No failover was recorded within %d s.", WAIT.toSeconds());
                }
                record.ifPresent(r -> event("the managers' shared record: %s", r.describe()));
                ledger.stop();
                say("");
                say("check_status of manager %d:", next);
                fleet.status(next).forEach(line -> say("  %s", line));
                boolean ok = newMaster != null
                        && record.filter(r -> r.state() == FailoverRecord.State.SUCCEEDED && r.epoch() == 1)
                                .isPresent()
                        && verify(cluster, ledger);
                say("");
                say(
                        ok
                                ? "Demo passed: the leading manager died, another took over and failed the master over"
                                        + " once; no acknowledged write was lost, the survivors agree."
                                : "Demo FAILED: see above.");
                say("Stopping the managers, ZooKeeper and the sandbox…");
                return ok ? 0 : 1;
            }
        }
    }

    private void event(String format, Object... args) {
        say("  +%5d ms  %s", ms(System.nanoTime() - killedAt), String.format(format, args));
    }

    private synchronized void say(String format, Object... args) {
        out.println(args.length == 0 ? format : String.format(format, args));
        out.flush();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}

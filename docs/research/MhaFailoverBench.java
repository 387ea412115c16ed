import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Real MHA 0.58 (masterha_manager, Debian package, two local MariaDB fixes) failing over a testkit sandbox. */
public class MhaFailoverBench {
    static final Duration WAIT = Duration.ofSeconds(90);

    public static void main(String[] args) throws Exception {
        int trials = Integer.parseInt(args[0]);
        List<long[]> results = new ArrayList<>();
        for (int t = 1; t <= trials; t++) {
            results.add(trial(t));
        }
        System.out.println();
        String[] names = {"detection", "promotion", "convergence", "manager exit"};
        for (int i = 0; i < 4; i++) {
            List<Long> v = new ArrayList<>();
            for (long[] r : results) {
                if (r[i] >= 0) {
                    v.add(r[i]);
                }
            }
            Collections.sort(v);
            System.out.printf("%-13s n=%d median %d ms, p95 %d ms, max %d ms%n", names[i], v.size(),
                    v.isEmpty() ? -1 : v.get(v.size() / 2), v.isEmpty() ? -1 : v.get((int) Math.ceil(0.95 * v.size()) - 1),
                    v.isEmpty() ? -1 : v.get(v.size() - 1));
        }
        long lost = results.stream().mapToLong(r -> r[4]).sum();
        System.out.println("acknowledged writes lost in total: " + lost);
    }

    static long[] trial(int number) throws Exception {
        Path w = Files.createTempDirectory("mha058-");
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start();
                OpenSshServer sshd = OpenSshServer.builder().start();
                WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint()).writer("mha")
                        .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)).build()) {
            Files.createDirectories(w.resolve("manager"));
            Files.createDirectories(w.resolve("remote"));
            StringBuilder cnf = new StringBuilder("[server default]\nmanager_workdir=" + w.resolve("manager")
                    + "\nmanager_log=" + w.resolve("manager/app1.log") + "\nremote_workdir=" + w.resolve("remote")
                    + "\nuser=" + SandboxCredentials.ADMIN.user() + "\npassword=" + SandboxCredentials.ADMIN.password()
                    + "\nrepl_user=" + SandboxCredentials.REPLICATION.user() + "\nrepl_password="
                    + SandboxCredentials.REPLICATION.password() + "\nssh_user=" + sshd.user() + "\nssh_port=" + sshd.port()
                    + "\nssh_options=-i " + sshd.clientKey() + " -o UserKnownHostsFile=" + sshd.knownHostsFile()
                    + "\nping_interval=1\n");
            for (SandboxNode n : cluster.nodes()) {
                cnf.append("\n[server").append(n.index()).append("]\nhostname=127.0.0.1")
                        .append("\nip=127.0.0.1\nport=").append(n.port()).append("\nmaster_binlog_dir=")
                        .append(n.dataDir()).append('\n');
            }
            Path conf = w.resolve("app1.cnf");
            Files.writeString(conf, cnf);
            // MHA's scp of the saved binlog uses the default key only: give it ours.
            Process manager = new ProcessBuilder("masterha_manager", "--conf=" + conf, "--ignore_last_failover")
                    .redirectErrorStream(true).redirectOutput(w.resolve("manager.out").toFile()).start();
            Path log = w.resolve("manager/app1.log");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!(Files.exists(log) && Files.readString(log).contains("Ping(SELECT) succeeded, waiting until MySQL"))) {
                if (!manager.isAlive() || System.nanoTime() > deadline) {
                    System.out.println("trial " + number + ": manager did not start monitoring; exit "
                            + (manager.isAlive() ? "running" : manager.exitValue()) + "; see " + w);
                    manager.destroyForcibly();
                    return new long[] {-1, -1, -1, -1, 0};
                }
                Thread.sleep(50);
            }
            ledger.start(1_000_000, Duration.ofMinutes(3));
            while (ledger.acknowledged().size() < 200) {
                Thread.sleep(20);
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(1000));
            long kill = System.nanoTime();
            cluster.node(1).kill();
            long detection = -1;
            long promotion = -1;
            long convergence = -1;
            long exit = -1;
            deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline && (promotion < 0 || convergence < 0 || exit < 0)) {
                long now = (System.nanoTime() - kill) / 1_000_000;
                if (detection < 0 && Files.readString(log).contains("is down!")) {
                    detection = now;
                }
                if (promotion < 0) {
                    for (SandboxNode n : cluster.nodes().subList(1, 3)) {
                        try {
                            if (!n.isReadOnly()) {
                                promotion = now;
                            }
                        } catch (RuntimeException e) {
                            // not yet
                        }
                    }
                }
                if (promotion >= 0 && convergence < 0) {
                    SandboxNode master = null;
                    for (SandboxNode n : cluster.nodes().subList(1, 3)) {
                        if (!n.isReadOnly()) {
                            master = n;
                        }
                    }
                    boolean all = true;
                    for (SandboxNode n : cluster.nodes().subList(1, 3)) {
                        if (n == master) {
                            continue;
                        }
                        Map<String, String> s = n.replicaStatus().orElse(Map.of());
                        all &= "Yes".equals(s.get("Slave_IO_Running")) && master != null
                                && String.valueOf(master.port()).equals(s.get("Master_Port"));
                    }
                    if (all) {
                        convergence = now;
                    }
                }
                if (exit < 0 && !manager.isAlive()) {
                    exit = now;
                }
                Thread.sleep(20);
            }
            manager.waitFor(10, TimeUnit.SECONDS);
            manager.destroyForcibly();
            Thread.sleep(1500);
            ledger.stop();
            List<SandboxNode> survivors = cluster.nodes().subList(1, 3);
            int lost;
            String positioning = "";
            try {
                cluster.awaitReplicasCaughtUp(Duration.ofSeconds(20));
            } catch (RuntimeException e) {
                System.out.println("  replicas not caught up: " + e.getMessage());
            }
            LedgerReport r = ledger.verify(survivors);
            lost = r.nodes().stream().mapToInt(n -> n.missing().size()).max().orElse(0);
            for (SandboxNode n : survivors) {
                positioning += n.name() + ":" + n.replicaStatus().map(s -> "Using_Gtid=" + s.get("Using_Gtid")).orElse("master") + " ";
            }
            System.out.printf("trial %d: detection %d ms, promotion %d ms, convergence %d ms, manager exit %d ms (code %s);"
                    + " %d of %d acknowledged lost; checksums %s; %s%n", number, detection, promotion, convergence, exit,
                    manager.isAlive() ? "?" : String.valueOf(manager.exitValue()), lost, r.acknowledged(),
                    r.checksumsAgree() ? "agree" : "DIFFER", positioning);
            Files.copy(log, Path.of("/tmp/mhabench/app1-trial" + number + ".log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new long[] {detection, promotion, convergence, exit, lost};
        }
    }
}

package io.mha4j.samples.cli;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.testkit.NetworkLab;
import io.mha4j.testkit.NodePlacement;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code bench chaos} runs its sandboxes: one network namespace per server, each with its
 * own sshd on port 22 (as the VIP test builds them), so that partitions can be made; or, where
 * namespaces cannot be built (not root), every server and one sshd on 127.0.0.1, and the
 * partition faults are skipped. The manager always reaches the hosts over SSH
 * ({@code remote_shell=ssh}), as users run it. Built once per run and shared by its trials.
 */
final class ChaosNetwork implements AutoCloseable {
    private final Optional<NetworkLab> lab;
    private final List<OpenSshServer> sshds = new ArrayList<>();

    private ChaosNetwork(Optional<NetworkLab> lab) {
        this.lab = lab;
    }

    /** With namespaces if asked and possible; {@link #whyLoopback} says why not otherwise. */
    static ChaosNetwork start(int nodes, boolean namespaces) {
        ChaosNetwork network = new ChaosNetwork(
                namespaces && NetworkLab.available() ? Optional.of(NetworkLab.start(nodes)) : Optional.empty());
        try {
            if (network.lab.isPresent()) {
                NetworkLab l = network.lab.get();
                for (int i = 1; i <= nodes; i++) {
                    network.sshds.add(OpenSshServer.builder()
                            .listen(l.address(i), 22, l.launchPrefix(i))
                            .start());
                }
            } else {
                network.sshds.add(OpenSshServer.builder().start());
            }
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** Why namespaces are not used, when they are not. */
    static String whyLoopback(boolean namespaces) {
        if (!namespaces) {
            return "--network=loopback was asked for";
        }
        return "network namespaces need root and a working `ip netns` (running as " + System.getProperty("user.name")
                + ")";
    }

    boolean hasNamespaces() {
        return lab.isPresent();
    }

    Optional<NetworkLab> lab() {
        return lab;
    }

    NodePlacement placement() {
        return lab.map(NetworkLab::placement).orElse(NodePlacement.LOOPBACK);
    }

    /** The address the application's connections leave from, so a cut of the manager's address spares them. */
    Optional<String> applicationAddress() {
        return lab.map(NetworkLab::clientAddress);
    }

    /** Removes every cut (a no-op on loopback). */
    void heal() {
        lab.ifPresent(NetworkLab::heal);
    }

    /** The manager's configuration for {@code cluster}: every server over SSH, binlogs in its datadir. */
    ApplicationConfig config(SandboxCluster cluster, Path workdir, int pingInterval) {
        OpenSshServer first = sshds.get(0);
        ApplicationConfig.Builder b = ApplicationConfig.builder("chaos")
                .user(SandboxCredentials.ADMIN.user())
                .password(SandboxCredentials.ADMIN.password())
                .replUser(SandboxCredentials.REPLICATION.user())
                .replPassword(SandboxCredentials.REPLICATION.password())
                .managerWorkdir(workdir)
                .sshUser(first.user())
                .set(Parameter.REMOTE_WORKDIR, workdir.resolve("remote").toString())
                .pingInterval(pingInterval);
        for (SandboxNode n : cluster.nodes()) {
            OpenSshServer sshd = lab.isPresent() ? sshds.get(n.index() - 1) : first;
            b.server(
                    "server" + n.index(),
                    s -> s.hostname(n.host())
                            .port(n.port())
                            .masterBinlogDirs(List.of(n.dataDir().toString()))
                            .set(Parameter.SSH_PORT, sshd.port())
                            .set(Parameter.SSH_IDENTITY_FILE, sshd.clientKey().toString())
                            .set(
                                    Parameter.SSH_KNOWN_HOSTS_FILE,
                                    sshd.knownHostsFile().toString()));
        }
        return b.build();
    }

    @Override
    public void close() {
        sshds.forEach(OpenSshServer::close);
        lab.ifPresent(NetworkLab::close);
    }
}

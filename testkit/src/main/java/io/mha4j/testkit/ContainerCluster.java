package io.mha4j.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * MySQL 8.0 / 8.4 servers in containers, replicating by GTID, behind the same
 * {@link ReplicationCluster} API as {@link SandboxCluster}: for a team that must prove its
 * failover code on MySQL and has a Docker engine. Optional: it needs
 * {@code org.testcontainers:testcontainers} on the test classpath (the testkit does not bring
 * it), and a Linux Docker engine, since the containers use the host's network so that every
 * server is {@code 127.0.0.1:<port>} both for the test and for the other servers (replicas
 * rewired by a failover reach their new master at the address the test sees).
 *
 * <p>Node1 starts as the writable master and the others as its replicas, with no transaction of
 * their own (equal {@code gtid_executed}).
 *
 * <p>mha4j's own suite has no Docker engine: its tests of this class skip, saying so, and
 * prove nothing; {@link SandboxCluster} (MariaDB, local processes) stays the default.
 *
 * <pre>{@code
 * assumeTrue(ContainerCluster.dockerAvailable(), ContainerCluster.unavailableReason());
 * try (ContainerCluster cluster = ContainerCluster.builder().image("mysql:8.4").nodes(3).start()) { ... }
 * }</pre>
 */
public final class ContainerCluster implements ReplicationCluster {
    private static final Logger log = LoggerFactory.getLogger(ContainerCluster.class);

    private final List<ContainerNode> nodes;
    private final SandboxCredentials credentials;

    private ContainerCluster(List<ContainerNode> nodes, SandboxCredentials credentials) {
        this.nodes = List.copyOf(nodes);
        this.credentials = credentials;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether containers can run here: Testcontainers on the classpath and a reachable Docker engine. */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (NoClassDefFoundError e) {
            return false;
        }
    }

    /** Why {@link #dockerAvailable()} is false, for a test's skip message. */
    public static String unavailableReason() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory");
        } catch (ClassNotFoundException e) {
            return "ContainerCluster needs org.testcontainers:testcontainers on the test classpath; skipped";
        }
        return "no Docker engine reachable here (Testcontainers found none): the MySQL container tests are skipped"
                + " and prove nothing on this machine";
    }

    @Override
    public List<ContainerNode> nodes() {
        return nodes;
    }

    @Override
    public ContainerNode node(int index) {
        if (index < 1 || index > nodes.size()) {
            throw new IllegalArgumentException("No node" + index + " in a cluster of " + nodes.size());
        }
        return nodes.get(index - 1);
    }

    @Override
    public ContainerNode master() {
        List<ContainerNode> masters = nodes.stream()
                .filter(n -> n.isRunning()
                        && !n.isPaused()
                        && !n.isReadOnly()
                        && n.replicaStatus().isEmpty())
                .toList();
        if (masters.size() != 1) {
            throw new SandboxException(
                    (masters.isEmpty() ? "No master" : "Several masters " + masters) + " among " + nodes);
        }
        return masters.get(0);
    }

    @Override
    public List<ContainerNode> replicas() {
        ContainerNode master = master();
        return nodes.stream()
                .filter(n -> n != master && n.isRunning() && !n.isPaused())
                .toList();
    }

    @Override
    public void awaitReplicasCaughtUp(Duration timeout) {
        ContainerNode master = master();
        String executed = master.queryForString("SELECT @@GLOBAL.gtid_executed");
        for (ContainerNode replica : replicas()) {
            Awaitility.await(replica.name() + " applied " + executed)
                    .atMost(timeout)
                    .until(() -> "1"
                            .equals(replica.queryForString(
                                    "SELECT GTID_SUBSET('" + executed + "', @@GLOBAL.gtid_executed)")));
        }
    }

    @Override
    public SandboxCredentials credentials() {
        return credentials;
    }

    @Override
    public void close() {
        nodes.forEach(ContainerNode::remove);
    }

    @Override
    public String toString() {
        return "ContainerCluster" + nodes;
    }

    /** Configures a {@link ContainerCluster}. */
    public static final class Builder {
        private String image = "mysql:8.4";
        private int nodes = 3;
        private boolean startsReadOnly = true;
        private Duration startupTimeout = Duration.ofMinutes(3);

        private Builder() {}

        /** The MySQL image (default {@code mysql:8.4}; {@code mysql:8.0} from 8.0.23 on). */
        public Builder image(String image) {
            this.image = Objects.requireNonNull(image, "image");
            return this;
        }

        public Builder nodes(int nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("A cluster has at least one node, not " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        /** Whether every server starts read-only (default), or writable as most {@code my.cnf} files have it. */
        public Builder startsReadOnly(boolean startsReadOnly) {
            this.startsReadOnly = startsReadOnly;
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Starts the servers in parallel; node1 becomes the writable master, the others its
         * read-only replicas by GTID auto-positioning.
         *
         * @throws SandboxException without a Docker engine, or when a server does not come up
         */
        public ContainerCluster start() {
            if (!dockerAvailable()) {
                throw new SandboxException(unavailableReason());
            }
            SandboxCredentials credentials = SandboxCredentials.DEFAULT;
            String rootPassword = UUID.randomUUID().toString();
            List<ContainerNode> made = new ArrayList<>();
            Set<Integer> ports = new HashSet<>();
            for (int i = 1; i <= nodes; i++) {
                int port = freePort();
                // the system may hand one free port out twice in a row
                for (int attempt = 0; !ports.add(port) && attempt < 100; attempt++) {
                    port = freePort();
                }
                made.add(new ContainerNode(i, image, port, startsReadOnly, rootPassword, credentials, startupTimeout));
            }
            ContainerCluster cluster = new ContainerCluster(made, credentials);
            try {
                CompletableFuture.allOf(made.stream()
                                .map(n -> CompletableFuture.runAsync(n::create))
                                .toArray(CompletableFuture[]::new))
                        .join();
                ContainerNode master = made.get(0);
                master.execute("SET GLOBAL read_only=OFF");
                for (ContainerNode replica : made.subList(1, made.size())) {
                    replica.replicateFrom(master);
                }
                log.info("Container cluster of {} x {} started: master {}", nodes, image, master);
                return cluster;
            } catch (RuntimeException e) {
                cluster.close();
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                throw cause instanceof SandboxException s
                        ? s
                        : new SandboxException("starting " + nodes + " x " + image + " failed: " + cause, cause);
            }
        }

        private static int freePort() {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new SandboxException("no free port: " + e.getMessage(), e);
            }
        }
    }
}

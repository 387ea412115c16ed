package io.mha4j.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * One MySQL server of a {@link ContainerCluster}: a container on the host's network, listening
 * on {@code 127.0.0.1:<port>}. Kill, stop, start, pause and resume act on the container, whose
 * filesystem (the datadir) outlives them; {@link ContainerCluster#close()} removes it.
 */
public final class ContainerNode implements ReplicationNode {
    private static final Logger log = LoggerFactory.getLogger(ContainerNode.class);

    private final int index;
    private final int port;
    private final String rootPassword;
    private final SandboxCredentials credentials;
    private final Duration startupTimeout;
    private final GenericContainer<?> container;
    private final JdbcClient sql;
    private final JdbcClient root;

    ContainerNode(
            int index,
            String image,
            int port,
            boolean startsReadOnly,
            String rootPassword,
            SandboxCredentials credentials,
            Duration startupTimeout) {
        this.index = index;
        this.port = port;
        this.rootPassword = rootPassword;
        this.credentials = credentials;
        this.startupTimeout = startupTimeout;
        List<String> options = new ArrayList<>(List.of(
                "--server-id=" + index,
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--mysqlx=OFF",
                "--report-host=127.0.0.1",
                "--report-port=" + port,
                // log_replica_updates is on by default from 8.0; its name only exists from 8.0.26
                "--log-bin=mysql-bin",
                "--gtid-mode=ON",
                "--enforce-gtid-consistency=ON",
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=64M"));
        if (startsReadOnly) {
            options.add("--read-only=ON");
        }
        this.container = new GenericContainer<>(DockerImageName.parse(image))
                .withNetworkMode("host")
                .withEnv("MYSQL_ROOT_PASSWORD", rootPassword)
                // The image loads time zones through a server with our options, binary log on: GTIDs of this
                // node's own that a failover would call errant. Not loaded; and the binary log is reset below.
                .withEnv("MYSQL_INITDB_SKIP_TZINFO", "1")
                .withCommand(options.toArray(String[]::new))
                // The image's entrypoint first runs a server on port 0 to initialize; the real one names its port.
                .waitingFor(Wait.forLogMessage(".*ready for connections.*port: " + port + " .*", 1)
                        .withStartupTimeout(startupTimeout));
        this.sql = new JdbcClient(name(), this::endpoint, credentials);
        this.root = new JdbcClient(
                name(),
                this::endpoint,
                new SandboxCredentials(
                        new Credentials("root", rootPassword), credentials.replication(), credentials.application()));
    }

    /**
     * Creates and starts the container, empties its binary log (whatever the image's initialization
     * wrote would be GTIDs of this node's own), then the sandbox's accounts, unlogged.
     */
    void create() {
        container.start();
        String version =
                root.query("SELECT @@GLOBAL.version").get(0).values().iterator().next();
        root.execute(version.startsWith("8.0") ? "RESET MASTER" : "RESET BINARY LOGS AND GTIDS");
        List<String> statements = new ArrayList<>(List.of("SET SESSION sql_log_bin=0"));
        statements.addAll(account(credentials.admin(), "ALL PRIVILEGES ON *.* TO %s WITH GRANT OPTION"));
        statements.addAll(account(credentials.replication(), "REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO %s"));
        statements.addAll(account(
                credentials.application(), "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER ON *.* TO %s"));
        root.execute(statements.toArray(String[]::new));
        log.info("{}: {} up on {}", name(), container.getDockerImageName(), endpoint());
    }

    private static List<String> account(Credentials user, String grant) {
        String account = "'" + user.user() + "'@'%'";
        return List.of(
                "CREATE USER " + account + " IDENTIFIED BY '" + user.password().replace("'", "''") + "'",
                "GRANT " + String.format(grant, account));
    }

    /** Makes this node a read-only replica of {@code master} by GTID auto-positioning. */
    void replicateFrom(ContainerNode master) {
        Credentials repl = credentials.replication();
        execute(
                "SET GLOBAL read_only=ON",
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=" + master.port()
                        + ", SOURCE_USER='" + repl.user() + "', SOURCE_PASSWORD='"
                        + repl.password().replace("'", "''")
                        + "', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1",
                "START REPLICA");
        Awaitility.await(name() + " replicating from " + master.name())
                .atMost(startupTimeout)
                .until(() -> replicaStatus()
                        .map(s ->
                                "Yes".equals(s.get("Replica_IO_Running")) && "Yes".equals(s.get("Replica_SQL_Running")))
                        .orElse(false));
    }

    @Override
    public String name() {
        return "node" + index;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Endpoint endpoint() {
        return new Endpoint(host(), port);
    }

    @Override
    public String jdbcUrl() {
        return sql.jdbcUrl();
    }

    @Override
    public boolean isRunning() {
        return state().map(s -> Boolean.TRUE.equals(s.getRunning())).orElse(false);
    }

    /** Whether {@link #pause()} froze it. */
    public boolean isPaused() {
        return state().map(s -> Boolean.TRUE.equals(s.getPaused())).orElse(false);
    }

    private Optional<InspectContainerResponse.ContainerState> state() {
        String id = container.getContainerId();
        return id == null
                ? Optional.empty()
                : Optional.ofNullable(docker().inspectContainerCmd(id).exec().getState());
    }

    @Override
    public Connection connect() {
        return sql.connect(credentials.admin());
    }

    @Override
    public Connection connect(Credentials user) {
        return sql.connect(user);
    }

    @Override
    public void execute(String... statements) {
        sql.execute(statements);
    }

    @Override
    public List<Map<String, String>> query(String query) {
        return sql.query(query);
    }

    @Override
    public Optional<Map<String, String>> replicaStatus() {
        return query("SHOW REPLICA STATUS").stream().findFirst();
    }

    @Override
    public void stopReplicaIoThread() {
        execute("STOP REPLICA IO_THREAD");
    }

    @Override
    public void startReplica() {
        execute("START REPLICA");
    }

    @Override
    public void kill() {
        docker().killContainerCmd(container.getContainerId()).withSignal("KILL").exec();
        awaitGone();
        log.info("{}: killed (SIGKILL to the container)", name());
    }

    @Override
    public void stop() {
        docker().stopContainerCmd(container.getContainerId()).withTimeout(60).exec();
        awaitGone();
        log.info("{}: stopped", name());
    }

    @Override
    public void start() {
        docker().startContainerCmd(container.getContainerId()).exec();
        Awaitility.await(name() + " accepting connections")
                .atMost(startupTimeout)
                .ignoreExceptions()
                .until(() -> queryForString("SELECT 1").equals("1"));
        log.info("{}: started again", name());
    }

    @Override
    public void pause() {
        docker().pauseContainerCmd(container.getContainerId()).exec();
        log.info("{}: paused", name());
    }

    @Override
    public void resume() {
        docker().unpauseContainerCmd(container.getContainerId()).exec();
        log.info("{}: resumed", name());
    }

    /** Removes the container and its data; quietly, for a cluster's close. */
    void remove() {
        try {
            if (isPaused()) {
                resume();
            }
            container.stop();
        } catch (RuntimeException e) {
            log.warn("{}: removing its container failed: {}", name(), e.toString());
        }
    }

    private void awaitGone() {
        Awaitility.await(name() + " gone").atMost(Duration.ofSeconds(90)).until(() -> !isRunning());
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    @Override
    public String toString() {
        return name() + "(" + endpoint() + ")";
    }
}

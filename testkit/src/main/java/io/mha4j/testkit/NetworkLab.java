package io.mha4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts with a real network between them, for tests of what a network does to a failover:
 * network namespaces {@code mha4j-<pid>-<token>-1..N}, each a "host" with an {@code eth0} on a
 * bridge in this namespace, in a /24 of 198.18.0.0/15 (the benchmarking range, never routed)
 * that only they and this namespace use. The bridge has no other port, so no packet leaves.
 *
 * <pre>{@code
 * try (NetworkLab lab = NetworkLab.start(3);
 *         SandboxCluster cluster = SandboxCluster.builder().placement(lab.placement()).start()) {
 *     lab.cutOffFromHere(1);   // this JVM (the manager) loses node1; the replicas do not
 *     ...
 *     lab.heal();
 * }
 * }</pre>
 *
 * <p>This namespace has two addresses on the bridge: {@link #managerAddress()}, the one its
 * connections leave from by default (a failover manager in this JVM), and
 * {@link #clientAddress()}, which a client can bind to (Connector/J's
 * {@code localSocketAddress}) to stay connected while the manager is cut off.
 *
 * <p>Partitions are {@code blackhole} routes in a host's namespace: the host's packets to an
 * address are silently dropped, so TCP connections to and from it time out (nothing is
 * refused, no ICMP error is sent), as on a real network that lost a link. Only {@code iproute2}
 * is needed (no iptables or nftables). {@link #heal()} removes every cut.
 *
 * <p>{@link #close()} deletes the namespaces, their links and the bridge, also after a failed
 * test, and a JVM shutdown hook does the same should the JVM end first; because a SIGKILLed JVM
 * runs no hook, {@link #start} first deletes the namespaces of labs whose JVM is gone. Needs
 * root and {@code ip netns}: check {@link #available()} and skip otherwise.
 */
public final class NetworkLab implements AutoCloseable {

    /** At most this many hosts per lab. */
    public static final int MAX_HOSTS = 50;

    private static final Logger log = LoggerFactory.getLogger(NetworkLab.class);
    private static final Pattern OWN_NAMESPACE = Pattern.compile("mha4j-(\\d+)-([0-9a-f]{4})-(\\d+)");
    private static final int MANAGER_HOST = 254;
    private static final int CLIENT_HOST = 253;
    private static final int VIP_HOST = 100;

    private final String token;
    private final String subnet;
    private final int hosts;
    private final List<String> created = new ArrayList<>();
    private final Map<Integer, Set<String>> cuts = new TreeMap<>();
    private final Thread cleanup = new Thread(this::teardown, "mha4j-netns-cleanup");

    private NetworkLab(String token, String subnet, int hosts) {
        this.token = token;
        this.subnet = subnet;
        this.hosts = hosts;
    }

    /** Whether this machine lets a test build namespaces: root, and a working {@code ip netns}. */
    public static boolean available() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("ip", "netns", "list")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Builds a lab of {@code hosts} namespaces (1..{@value #MAX_HOSTS}), on a subnet no other lab
     * on this machine uses now.
     *
     * @throws SandboxException if {@code ip} fails; whatever was made is deleted again
     */
    public static NetworkLab start(int hosts) {
        if (hosts < 1 || hosts > MAX_HOSTS) {
            throw new IllegalArgumentException("A lab has 1 to " + MAX_HOSTS + " hosts, not " + hosts);
        }
        reapStale();
        String inUse = ip("-o", "-4", "addr", "show") + ip("link", "show");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 50; attempt++) {
            String token = String.format("%04x", 0x1000 + random.nextInt(0xefff));
            String subnet = "198.18." + (10 + random.nextInt(200));
            if (!inUse.contains(subnet + ".") && !inUse.contains("mb" + token)) {
                NetworkLab lab = new NetworkLab(token, subnet, hosts);
                try {
                    return lab.build();
                } catch (RuntimeException e) {
                    lab.close();
                    throw e;
                }
            }
        }
        throw new SandboxException("No free 198.18.x.0/24 subnet for a network lab (50 attempts)");
    }

    private NetworkLab build() {
        Runtime.getRuntime().addShutdownHook(cleanup);
        String bridge = "mb" + token;
        ip("link", "add", bridge, "type", "bridge");
        record("link:" + bridge);
        ip("addr", "add", managerAddress() + "/24", "dev", bridge);
        ip("addr", "add", clientAddress() + "/24", "dev", bridge);
        ip("link", "set", bridge, "up");
        for (int i = 1; i <= hosts; i++) {
            String ns = namespace(i);
            String veth = "mv" + token + i;
            ip("netns", "add", ns);
            record("netns:" + ns);
            ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            record("link:" + veth);
            ip("link", "set", veth, "master", bridge);
            ip("link", "set", veth, "up");
            ip("-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            ip("-n", ns, "link", "set", "lo", "up");
        }
        log.info("Network lab {}: {} hosts on {}.0/24", token, hosts, subnet);
        return this;
    }

    private synchronized void record(String what) {
        created.add(what);
    }

    public int hosts() {
        return hosts;
    }

    /** The namespace of host {@code host} (1-based). */
    public String namespace(int host) {
        check(host);
        return "mha4j-" + ProcessHandle.current().pid() + "-" + token + "-" + host;
    }

    /** The address of host {@code host} (1-based) on the lab's network. */
    public String address(int host) {
        check(host);
        return subnet + "." + host;
    }

    /** What runs a command in host {@code host}'s namespace: {@code ip netns exec <namespace>}. */
    public List<String> launchPrefix(int host) {
        return List.of("ip", "netns", "exec", namespace(host));
    }

    /** This namespace's address on the lab network, the source of its connections by default. */
    public String managerAddress() {
        return subnet + "." + MANAGER_HOST;
    }

    /** A second address of this namespace, which {@link #cutOffFromHere} leaves connected. */
    public String clientAddress() {
        return subnet + "." + CLIENT_HOST;
    }

    /** An address on the lab network that no host has, for a virtual IP. */
    public String vip() {
        return subnet + "." + VIP_HOST;
    }

    /** Sandbox node {@code i} runs in host {@code i}'s namespace and listens on all its addresses. */
    public NodePlacement placement() {
        return placement(OptionalInt.empty());
    }

    /**
     * {@link #placement()} with every node on {@code port}, as production hosts share 3306: a client
     * of {@link #vip()} then reaches whichever host holds it at one address and port.
     */
    public NodePlacement placement(int port) {
        return placement(OptionalInt.of(port));
    }

    private NodePlacement placement(OptionalInt port) {
        return new NodePlacement() {
            @Override
            public OptionalInt port() {
                return port;
            }

            @Override
            public String host(int index) {
                return address(index);
            }

            @Override
            public List<String> launchPrefix(int index) {
                return NetworkLab.this.launchPrefix(index);
            }

            @Override
            public String bindAddress(int index) {
                return "0.0.0.0";
            }

            /** All of 198.18.0.0/16, not this lab's /24: one cached template datadir serves every lab. */
            @Override
            public List<String> clientHosts() {
                return List.of("198.18.%");
            }
        };
    }

    /**
     * Cuts {@link #managerAddress()} off from host {@code host} (both directions, since every
     * reply is lost): this namespace's connections to it time out, while the other hosts and
     * clients bound to {@link #clientAddress()} still reach it.
     */
    public void cutOffFromHere(int host) {
        blackhole(host, List.of(managerAddress()));
    }

    /** Cuts host {@code host} off from every other host and from both addresses of this namespace. */
    public void isolate(int host) {
        List<String> everyone = new ArrayList<>(List.of(managerAddress(), clientAddress(), vip()));
        for (int other = 1; other <= hosts; other++) {
            if (other != host) {
                everyone.add(address(other));
            }
        }
        blackhole(host, everyone);
    }

    private synchronized void blackhole(int host, List<String> addresses) {
        Set<String> hostCuts = cuts.computeIfAbsent(host, h -> new LinkedHashSet<>());
        for (String address : addresses) {
            if (hostCuts.add(address)) {
                ip("-n", namespace(host), "route", "add", "blackhole", address + "/32");
            }
        }
        log.info("Network lab {}: host {} cut off from {}", token, host, hostCuts);
    }

    /** The addresses host {@code host}'s packets are dropped to now. */
    public synchronized Set<String> cuts(int host) {
        check(host);
        return Set.copyOf(cuts.getOrDefault(host, Set.of()));
    }

    /** Removes every cut of host {@code host}. */
    public synchronized void heal(int host) {
        Set<String> hostCuts = cuts.remove(host);
        if (hostCuts == null) {
            return;
        }
        for (String address : hostCuts) {
            ip("-n", namespace(host), "route", "del", "blackhole", address + "/32");
        }
        log.info("Network lab {}: host {} healed", token, host);
    }

    /** Removes every cut of every host. */
    public synchronized void heal() {
        for (Integer host : List.copyOf(cuts.keySet())) {
            heal(host);
        }
    }

    /**
     * Runs {@code ip} with these arguments and returns its output.
     *
     * @throws SandboxException with the output when it fails or takes more than 30 s
     */
    public static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SandboxException(String.join(" ", command) + " did not finish within 30 s");
            }
            if (p.exitValue() != 0) {
                throw new SandboxException(String.join(" ", command) + " failed: " + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new SandboxException(String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted running " + String.join(" ", command), e);
        }
    }

    private void check(int host) {
        if (host < 1 || host > hosts) {
            throw new IllegalArgumentException("No host " + host + " in a lab of " + hosts);
        }
    }

    /** Deletes the namespaces, bridges and links of labs whose JVM is gone. */
    private static void reapStale() {
        Set<String> tokens = new LinkedHashSet<>();
        for (String line : ip("netns", "list").split("\n")) {
            Matcher m = OWN_NAMESPACE.matcher(line.trim().split(" ")[0]);
            if (m.matches()
                    && ProcessHandle.of(Long.parseLong(m.group(1)))
                            .map(h -> !h.isAlive())
                            .orElse(true)) {
                quietly("netns", "del", m.group(0));
                quietly("link", "del", "mv" + m.group(2) + m.group(3));
                tokens.add(m.group(2));
            }
        }
        tokens.forEach(t -> quietly("link", "del", "mb" + t));
        if (!tokens.isEmpty()) {
            log.info("Network lab: deleted the namespaces of gone JVMs' labs {}", tokens);
        }
    }

    private static void quietly(String... args) {
        try {
            ip(args);
        } catch (SandboxException e) {
            log.debug("Network lab cleanup: {}", e.getMessage());
        }
    }

    /** Deletes in reverse order; a host link is deleted explicitly in case a process still holds its namespace. */
    private synchronized void teardown() {
        for (int i = created.size() - 1; i >= 0; i--) {
            String[] what = created.get(i).split(":", 2);
            try {
                ip(what[0], "del", what[1]);
            } catch (SandboxException e) {
                // a host link goes with its namespace; anything else is worth a line
                if (!what[0].equals("link") || !what[1].startsWith("mv")) {
                    log.warn("Network lab {} cleanup: {}", token, e.getMessage());
                }
            }
        }
        created.clear();
        cuts.clear();
    }

    /** Deletes the lab. Idempotent. */
    @Override
    public void close() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs or ran
        }
    }

    @Override
    public String toString() {
        return "NetworkLab[" + token + ", " + hosts + " hosts on " + subnet + ".0/24]";
    }
}

package io.mha4j.vip;

import io.mha4j.testkit.NodePlacement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Three "hosts" for a test: network namespaces {@code mha4j-<token>-1..3}, each with an
 * {@code eth0} on a bridge in this namespace, in a /24 of 198.18.0.0/15 (the benchmarking range,
 * never routed) that only they and the bridge use. The bridge has no other port, so no packet
 * leaves. {@link #close()} deletes the namespaces and the bridge, also after a failed test (and
 * from a shutdown hook should the JVM end first).
 */
final class NetnsLab implements AutoCloseable {
    final String token = Integer.toHexString(0x1000 + ThreadLocalRandom.current().nextInt(0xefff));
    final String subnet = "198.18." + (10 + ThreadLocalRandom.current().nextInt(200));
    final String bridge = "mb" + token;
    final int hosts;
    private final List<String> created = new ArrayList<>();
    private final Thread cleanup = new Thread(this::teardown, "mha4j-netns-cleanup");

    NetnsLab(int hosts) {
        this.hosts = hosts;
    }

    /** Whether this machine lets a test build namespaces: root, and a working {@code ip netns}. */
    static boolean available() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        try {
            return new ProcessBuilder("ip", "netns", "list").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String namespace(int index) {
        return "mha4j-" + token + "-" + index;
    }

    String address(int index) {
        return subnet + "." + index;
    }

    String vip() {
        return subnet + ".100";
    }

    NetnsLab start() {
        Runtime.getRuntime().addShutdownHook(cleanup);
        ip("link", "add", bridge, "type", "bridge");
        created.add("bridge");
        ip("addr", "add", subnet + ".254/24", "dev", bridge);
        ip("link", "set", bridge, "up");
        for (int i = 1; i <= hosts; i++) {
            String ns = namespace(i);
            String veth = "mv" + token + i;
            ip("netns", "add", ns);
            created.add(ns);
            ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("link", "set", veth, "master", bridge);
            ip("link", "set", veth, "up");
            ip("-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            ip("-n", ns, "link", "set", "lo", "up");
        }
        return this;
    }

    /** Node {@code i} of a sandbox runs in namespace {@code i}, listens on all its addresses. */
    NodePlacement placement() {
        return new NodePlacement() {
            @Override
            public String host(int index) {
                return address(index);
            }

            @Override
            public List<String> launchPrefix(int index) {
                return List.of("ip", "netns", "exec", namespace(index));
            }

            @Override
            public String bindAddress(int index) {
                return "0.0.0.0";
            }

            @Override
            public List<String> clientHosts() {
                return List.of(subnet + ".%");
            }
        };
    }

    /** Runs {@code ip} with these arguments; a failure throws with its output. */
    static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private synchronized void teardown() {
        for (int i = created.size() - 1; i >= 0; i--) {
            String what = created.get(i);
            try {
                if (what.equals("bridge")) {
                    ip("link", "del", bridge);
                } else {
                    ip("netns", "del", what);
                }
            } catch (RuntimeException e) {
                System.err.println("netns lab cleanup: " + e.getMessage());
            }
        }
        created.clear();
    }

    @Override
    public void close() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs or ran
        }
    }
}

package io.mha4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The TCP addresses a process listens on, read from {@code /proc} (Linux). */
final class ListeningSockets {

    private static final String LISTEN = "0A";
    private static final String V4_MAPPED = "0000000000000000FFFF0000";

    private ListeningSockets() {}

    /** Local addresses as {@code ip:port}, e.g. {@code 127.0.0.1:33061} or {@code [::]:3306}. */
    static List<String> of(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // A descriptor closed while listing is not a listening socket.
                }
            }
        }
        List<String> addresses = new ArrayList<>();
        addresses.addAll(listening(Path.of("/proc/net/tcp"), inodes, false));
        addresses.addAll(listening(Path.of("/proc/net/tcp6"), inodes, true));
        return addresses;
    }

    private static List<String> listening(Path table, Set<String> inodes, boolean v6) throws IOException {
        List<String> addresses = new ArrayList<>();
        if (!Files.exists(table)) {
            return addresses;
        }
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f[3].equals(LISTEN) && inodes.contains(f[9])) {
                String[] local = f[1].split(":");
                int port = Integer.parseInt(local[1], 16);
                addresses.add(address(local[0], v6) + ":" + port);
            }
        }
        return addresses;
    }

    /** IPv4-mapped IPv6 addresses (a Java dual-stack socket bound to 127.0.0.1) read as IPv4. */
    private static String address(String hex, boolean v6) {
        if (!v6) {
            return ipv4(hex);
        }
        return hex.startsWith(V4_MAPPED) ? ipv4(hex.substring(V4_MAPPED.length())) : "[" + hex + "]";
    }

    private static String ipv4(String littleEndianHex) {
        long v = Long.parseLong(littleEndianHex, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }
}

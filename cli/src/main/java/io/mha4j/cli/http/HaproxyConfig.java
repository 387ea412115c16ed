package io.mha4j.cli.http;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code haproxy.cfg} that docs/haproxy.md shows, for given addresses: a write port leading to
 * the server whose {@code /master/<block>} answers 200, a read port spread over those whose {@code
 * /replica/<block>} does (the master while none does). One text in one place: the documentation's
 * example is this rendering of its example addresses (a test holds them equal), and the tests and
 * the bench run exactly what a user copies.
 *
 * @param write where HAProxy takes writes
 * @param read where HAProxy takes reads
 * @param endpoints where the manager's {@code --http} endpoints answer
 * @param stats where HAProxy's statistics page answers (a human's view, and the tests')
 * @param servers each server's block and address, in the configuration's order; HAProxy's {@code
 *     server} lines are named after the blocks, which its health check asks by name
 */
public record HaproxyConfig(
        InetSocketAddress write,
        InetSocketAddress read,
        InetSocketAddress endpoints,
        InetSocketAddress stats,
        Map<String, InetSocketAddress> servers) {

    public HaproxyConfig {
        Objects.requireNonNull(write, "write");
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(stats, "stats");
        servers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(servers));
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("HAProxy needs at least one server");
        }
    }

    /** The configuration file's text. */
    public String render() {
        StringBuilder serverLines = new StringBuilder();
        servers.forEach((block, address) -> serverLines
                .append("    server ")
                .append(block)
                .append(' ')
                .append(hostPort(address))
                .append('\n'));
        String check = "check port " + endpoints.getPort() + " addr " + endpoints.getHostString()
                + " inter 1s fastinter 250ms downinter 250ms rise 1";
        return """
                global
                    maxconn 4096

                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 8h
                    timeout server 8h
                    timeout check 1s
                    # A connection a dead server refuses fails at once and the application tries again: HAProxy's own
                    # retries wait min(timeout connect, 1 s) before each, and the write outage would pay for that wait.
                    retries 0

                frontend mysql-write
                    bind %s
                    default_backend mysql-master

                frontend mysql-read
                    bind %s
                    # Reads fall back to the master while no replica may serve, as TopologyDataSources' reader does.
                    use_backend mysql-replicas if { nbsrv(mysql-replicas) gt 0 }
                    default_backend mysql-master

                backend mysql-master
                    option httpchk
                    http-check send meth GET uri-lf /master/%%[srv_name]
                    http-check expect status 200
                    # The manager's 200 is its word that the server is the writable master: one answer is enough either way.
                    default-server %s fall 1 on-marked-down shutdown-sessions
                %s
                backend mysql-replicas
                    balance leastconn
                    option httpchk
                    http-check send meth GET uri-lf /replica/%%[srv_name]
                    http-check expect status 200
                    default-server %s fall 2 on-marked-down shutdown-sessions
                %s
                listen stats
                    mode http
                    bind %s
                    stats enable
                    stats uri /
                """.formatted(hostPort(write), hostPort(read), check, serverLines, check, serverLines, hostPort(stats));
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}

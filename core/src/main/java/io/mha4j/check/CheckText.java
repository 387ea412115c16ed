package io.mha4j.check;

import io.mha4j.config.ServerConfig;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders check results as MHA's tools print them: {@code Wed Nov 25 01:18:47 2026 - [info] …}
 * lines, the topology drawn as MHA draws it, and MHA's last line, so that the scripts and
 * habits built around MHA's output keep working.
 */
public final class CheckText {
    /** MHA's timestamp: Perl's {@code scalar localtime}. */
    private static final DateTimeFormatter MHA_TIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    public static final String REPLICATION_OK = "MySQL Replication Health is OK.";
    public static final String REPLICATION_NOT_OK = "MySQL Replication Health is NOT OK!";
    public static final String SSH_OK = "All SSH connection tests passed successfully.";

    private final Clock clock;

    public CheckText(Clock clock) {
        this.clock = clock;
    }

    /** One log line in MHA's format. */
    public String line(Severity severity, String message) {
        String level = switch (severity) {
            case INFO -> "info";
            case WARNING -> "warning";
            case ERROR -> "error";
        };
        return MHA_TIME.format(ZonedDateTime.now(clock)) + " - [" + level + "] " + message;
    }

    public List<String> ssh(SshCheckResult result) {
        List<String> out = new ArrayList<>();
        out.add(line(Severity.INFO, "Starting SSH connection tests.."));
        for (SshPair p : result.pairs()) {
            String route = (p.from().equals(SshPair.MANAGER) ? "the manager" : p.from()) + " to " + p.to();
            out.add(
                    p.ok()
                            ? line(Severity.INFO, "  Connecting via SSH from " + route + ".. ok.")
                            : line(Severity.ERROR, "SSH connection from " + route + " failed! " + p.detail()));
        }
        out.add(result.isOk() ? line(Severity.INFO, SSH_OK) : line(Severity.ERROR, "SSH Configuration Check Failed!"));
        return out;
    }

    /**
     * check_repl's output as MHA prints it: log lines (MHA writes them to stderr) and the
     * verdict (stdout: an empty line, then "MySQL Replication Health is OK." or "… NOT OK!").
     */
    public record Rendered(List<String> log, List<String> verdict) {}

    public Rendered replication(ReplicationHealth health) {
        List<String> out = new ArrayList<>();
        out.add(line(Severity.INFO, "GTID failover mode = 1"));
        health.topology().ifPresent(t -> servers(t, out));
        out.add(line(Severity.INFO, "Checking slave configurations.."));
        for (Finding f : health.findings()) {
            out.add(line(f.severity(), f.message()));
        }
        health.topology().ifPresent(t -> {
            out.add(line(Severity.INFO, "\n" + drawing(t)));
            for (ServerConfig r : t.replicas()) {
                boolean broken = health.findings().stream()
                        .anyMatch(f -> f.isError()
                                && f.server().filter(r.block()::equals).isPresent());
                out.add(line(Severity.INFO, "Checking replication health on " + r.hostname() + ".."));
                out.add(broken ? line(Severity.ERROR, " failed!") : line(Severity.INFO, " ok."));
            }
        });
        out.add(line(
                Severity.INFO,
                "Checks took " + health.took().toMillis() + " ms; "
                        + health.errors().size() + " error(s)."));
        return new Rendered(out, List.of("", health.isOk() ? REPLICATION_OK : REPLICATION_NOT_OK));
    }

    private void servers(Topology t, List<String> out) {
        out.add(line(Severity.INFO, "Dead Servers:"));
        t.unreachable().forEach(s -> out.add(line(Severity.INFO, "  " + s.displayName())));
        out.add(line(Severity.INFO, "Alive Servers:"));
        t.states().keySet().forEach(block -> out.add(line(Severity.INFO, "  " + nameOf(t, block))));
        out.add(line(Severity.INFO, "Alive Slaves:"));
        for (ServerConfig r : t.replicas()) {
            t.state(r).ifPresent(s -> {
                out.add(line(
                        Severity.INFO,
                        "  " + r.displayName() + "  Version=" + s.version().text() + " log-bin:"
                                + (s.logBin() ? "enabled" : "disabled")));
                s.replica()
                        .ifPresent(rs -> out.add(line(
                                Severity.INFO,
                                "    Replicating from " + rs.sourceHost() + "(" + rs.sourceHost() + ":"
                                        + rs.sourcePort() + ")")));
            });
        }
        out.add(
                t.masterState().isPresent()
                        ? line(
                                Severity.INFO,
                                "Current Alive Master: " + t.master().displayName())
                        : line(Severity.WARNING, "MySQL master is not currently alive!"));
    }

    private static String nameOf(Topology t, String block) {
        if (t.master().block().equals(block)) {
            return t.master().displayName();
        }
        return t.replicas().stream()
                .filter(r -> r.block().equals(block))
                .findFirst()
                .map(ServerConfig::displayName)
                .orElse(block);
    }

    /** The topology as MHA prints it: the master, then {@code  +--} each replica. */
    static String drawing(Topology t) {
        StringBuilder sb = new StringBuilder(t.master().displayName()).append(" (current master)");
        t.master().nodeLabel().ifPresent(l -> sb.append(" (").append(l).append(')'));
        sb.append('\n');
        for (ServerConfig r : t.replicas()) {
            sb.append(" +--").append(r.displayName());
            r.nodeLabel().ifPresent(l -> sb.append(" (").append(l).append(')'));
            sb.append('\n');
        }
        for (ServerConfig r : t.unreachable()) {
            if (r != t.master()) {
                sb.append(" +--").append(r.displayName()).append(" (unreachable)\n");
            }
        }
        return sb.toString();
    }
}

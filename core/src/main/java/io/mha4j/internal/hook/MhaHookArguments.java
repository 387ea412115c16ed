package io.mha4j.internal.hook;

import io.mha4j.config.Parameter;
import io.mha4j.config.PingType;
import io.mha4j.config.ServerConfig;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.SshTarget;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The arguments MHA 0.58 gives its external scripts, in MHA's order and spelling, so that
 * users' existing scripts run unchanged.
 */
public final class MhaHookArguments {
    private MhaHookArguments() {}

    /**
     * {@code master_ip_failover_script --command=status --ssh_user=… --orig_master_host=…
     * --orig_master_ip=… --orig_master_port=…} and the SSH arguments MHA adds when the SSH
     * endpoint differs from the SQL one.
     */
    public static Consumer<RemoteCommand.Builder> ipFailoverStatus(ServerConfig master) {
        return b -> {
            b.option("command", "status")
                    .option("ssh_user", master.sshUser())
                    .option("orig_master_host", master.hostname())
                    .option("orig_master_ip", ip(master))
                    .option("orig_master_port", Integer.toString(master.port()));
            sshArguments(b, master, "orig_master_", true, true);
        };
    }

    /** {@code shutdown_script --command=status --ssh_user=… --host=… --ip=…} and SSH arguments. */
    public static Consumer<RemoteCommand.Builder> shutdownStatus(ServerConfig master) {
        return b -> {
            b.option("command", "status")
                    .option("ssh_user", master.sshUser())
                    .option("host", master.hostname())
                    .option("ip", ip(master));
            sshArguments(b, master, "", true, true);
        };
    }

    /**
     * {@code secondary_check_script --user=<ssh_user> --master_host=… --master_ip=… --master_port=…
     * --master_user=… --master_password=… --ping_type=…} in MHA's order (HealthCheck.pm's
     * secondary_check), and {@code --options=…} (the SSH options for the script's own ssh, with
     * MHA's {@code VAR_CONNECT_TIMEOUT} placeholder) only when {@code ssh_options} is set, as
     * MHA adds it only then. The password shows as {@code xxx} wherever the command is printed.
     */
    public static Consumer<RemoteCommand.Builder> secondaryCheck(ServerConfig master, PingType pingType) {
        return b -> {
            b.option("user", master.sshUser())
                    .option("master_host", master.hostname())
                    .option("master_ip", ip(master))
                    .option("master_port", Integer.toString(master.port()))
                    .option("master_user", master.user())
                    .secretOption("master_password", master.password())
                    .option("ping_type", pingType.name());
            if (master.sshOptions().isPresent()) {
                b.option("options", checkOptions(SshTarget.of(master), "VAR_CONNECT_TIMEOUT"));
            }
        };
    }

    /**
     * {@code master_ip_failover_script --orig_master_host=… --orig_master_ip=… --orig_master_port=…
     * --command=stopssh --ssh_user=…} (or {@code --command=stop}, without {@code --ssh_user}, when
     * the host does not answer over SSH) and SSH arguments: take the VIP off the dead master. The
     * order is MHA 0.58's (MasterFailover.pm, force_shutdown_internal): here the command comes after
     * the master, unlike in every other call.
     */
    public static Consumer<RemoteCommand.Builder> ipFailoverStop(ServerConfig deadMaster, boolean sshReachable) {
        return b -> {
            b.option("orig_master_host", deadMaster.hostname())
                    .option("orig_master_ip", ip(deadMaster))
                    .option("orig_master_port", Integer.toString(deadMaster.port()));
            stopCommand(b, deadMaster, sshReachable);
            sshArguments(b, deadMaster, "orig_master_", sshReachable, true);
        };
    }

    /**
     * {@code shutdown_script --command=stopssh --ssh_user=…} (or {@code --command=stop}) {@code
     * --host=… --ip=… --port=… [--pid_file=<master_pid_file>]} and SSH arguments: power off
     * (STONITH) the dead master.
     */
    public static Consumer<RemoteCommand.Builder> shutdown(ServerConfig deadMaster, boolean sshReachable) {
        return b -> {
            stopCommand(b, deadMaster, sshReachable);
            b.option("host", deadMaster.hostname())
                    .option("ip", ip(deadMaster))
                    .option("port", Integer.toString(deadMaster.port()));
            deadMaster.masterPidFile().ifPresent(pid -> b.option("pid_file", pid));
            sshArguments(b, deadMaster, "", sshReachable, true);
        };
    }

    /**
     * {@code master_ip_failover_script --command=start --ssh_user=<new master's> --orig_master_host=…
     * --orig_master_ip=… --orig_master_port=… --new_master_host=… --new_master_ip=…
     * --new_master_port=… --new_master_user=…}, then the dead master's SSH arguments (their
     * {@code --ssh_options} chosen by {@code deadMasterSshReachable}, as after fencing), the new
     * master's (without {@code --ssh_options}, as MHA) and last {@code --new_master_password=…}:
     * MHA passes the password on the command line and existing scripts read it there; it prints
     * as {@code xxx}.
     */
    public static Consumer<RemoteCommand.Builder> ipFailoverStart(
            ServerConfig deadMaster, boolean deadMasterSshReachable, ServerConfig newMaster) {
        return b -> {
            b.option("command", "start")
                    .option("ssh_user", newMaster.sshUser())
                    .option("orig_master_host", deadMaster.hostname())
                    .option("orig_master_ip", ip(deadMaster))
                    .option("orig_master_port", Integer.toString(deadMaster.port()))
                    .option("new_master_host", newMaster.hostname())
                    .option("new_master_ip", ip(newMaster))
                    .option("new_master_port", Integer.toString(newMaster.port()))
                    .option("new_master_user", newMaster.user());
            sshArguments(b, deadMaster, "orig_master_", deadMasterSshReachable, true);
            sshArguments(b, newMaster, "new_master_", true, false);
            b.secretOption("new_master_password", newMaster.password());
        };
    }

    /** {@code --command=stopssh --ssh_user=…} when the host answers over SSH, else {@code --command=stop}. */
    private static void stopCommand(RemoteCommand.Builder b, ServerConfig s, boolean sshReachable) {
        if (sshReachable) {
            b.option("command", "stopssh").option("ssh_user", s.sshUser());
        } else {
            b.option("command", "stop");
        }
    }

    /**
     * {@code report_script --orig_master_host=… [--new_master_host=… --new_slave_hosts=a,b]
     * [--conf=…] --subject=… --body=…}: the new master and the recovered replicas only once a new
     * master was activated ({@code --new_slave_hosts=} may then be empty, as in MHA); {@code
     * --conf} only when the configuration came from a file (MHA always has one).
     */
    public static Consumer<RemoteCommand.Builder> report(
            String origMasterHost,
            Optional<String> newMasterHost,
            List<String> newReplicaHosts,
            Optional<String> conf,
            String subject,
            String body) {
        return b -> {
            b.option("orig_master_host", origMasterHost);
            newMasterHost.ifPresent(
                    h -> b.option("new_master_host", h).option("new_slave_hosts", String.join(",", newReplicaHosts)));
            conf.ifPresent(c -> b.option("conf", c));
            b.option("subject", subject).option("body", body);
        };
    }

    /**
     * {@code master_ip_online_change_script --command=stop|start --orig_master_host=…
     * --orig_master_ip=… --orig_master_port=… --orig_master_user=… --new_master_host=…
     * --new_master_ip=… --new_master_port=… --new_master_user=… --orig_master_ssh_user=…
     * --new_master_ssh_user=… [--orig_master_is_new_slave] --orig_master_password=…
     * --new_master_password=…}; the passwords print as {@code xxx}.
     */
    public static Consumer<RemoteCommand.Builder> onlineChange(
            String command, ServerConfig orig, ServerConfig next, boolean origMasterIsNewSlave) {
        return b -> {
            b.option("command", command)
                    .option("orig_master_host", orig.hostname())
                    .option("orig_master_ip", ip(orig))
                    .option("orig_master_port", Integer.toString(orig.port()))
                    .option("orig_master_user", orig.user())
                    .option("new_master_host", next.hostname())
                    .option("new_master_ip", ip(next))
                    .option("new_master_port", Integer.toString(next.port()))
                    .option("new_master_user", next.user())
                    .option("orig_master_ssh_user", orig.sshUser())
                    .option("new_master_ssh_user", next.sshUser());
            if (origMasterIsNewSlave) {
                b.arg("--orig_master_is_new_slave");
            }
            b.secretOption("orig_master_password", orig.password())
                    .secretOption("new_master_password", next.password());
        };
    }

    /**
     * As MHA's get_ssh_args_if: only what differs from the defaults is passed. {@code
     * --ssh_options} (unprefixed, as in MHA) only when {@code ssh_options} is set and {@code
     * withOptions} (MHA leaves it out for a call's second server), shaped as MHA's options for a
     * host that answers over SSH or for one being checked. mha4j's host-key policy replaces MHA's
     * fixed {@code StrictHostKeyChecking=no}.
     */
    static void sshArguments(
            RemoteCommand.Builder b, ServerConfig s, String prefix, boolean sshReachable, boolean withOptions) {
        if (!s.hostname().equals(s.sshHost()) || !ip(s).equals(sshIp(s))) {
            b.option(prefix + "ssh_host", s.sshHost()).option(prefix + "ssh_ip", sshIp(s));
        }
        if (s.sshPort() != 22) {
            b.option(prefix + "ssh_port", Integer.toString(s.sshPort()));
        }
        if (withOptions && s.sshOptions().isPresent()) {
            SshTarget t = SshTarget.of(s);
            b.option(
                    "ssh_options",
                    sshReachable
                            ? aliveOptions(t)
                            : checkOptions(
                                    t, Long.toString(s.sshConnectionTimeout().toSeconds())));
        }
    }

    /** MHA's options for a host known to answer (NodeConst's SSH_OPT_ALIVE), then the configured ones. */
    private static String aliveOptions(SshTarget t) {
        return String.join(
                        " ",
                        List.of(
                                "-o",
                                "ServerAliveInterval=60",
                                "-o",
                                "ServerAliveCountMax=20",
                                "-o",
                                "StrictHostKeyChecking=" + t.hostKeyPolicy().openSshValue(),
                                "-o",
                                "ConnectionAttempts=5",
                                "-o",
                                "PasswordAuthentication=no",
                                "-o",
                                "BatchMode=yes"))
                + " " + String.join(" ", t.openSshOptions());
    }

    /** MHA's options for checking a host (ManagerConst's SSH_OPT_CHECK), then the configured ones. */
    private static String checkOptions(SshTarget t, String connectTimeout) {
        return String.join(
                        " ",
                        List.of(
                                "-o",
                                "StrictHostKeyChecking=" + t.hostKeyPolicy().openSshValue(),
                                "-o",
                                "PasswordAuthentication=no",
                                "-o",
                                "BatchMode=yes",
                                "-o",
                                "ConnectTimeout=" + connectTimeout))
                + " "
                + String.join(" ", t.openSshOptions());
    }

    /** MHA passes the resolved address; an unresolvable name is passed as it is. */
    static String ip(ServerConfig s) {
        return s.get(Parameter.IP).orElseGet(() -> resolve(s.hostname()));
    }

    static String sshIp(ServerConfig s) {
        return s.get(Parameter.SSH_IP).orElseGet(() -> s.sshHost().equals(s.hostname()) ? ip(s) : resolve(s.sshHost()));
    }

    private static String resolve(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            return host;
        }
    }
}

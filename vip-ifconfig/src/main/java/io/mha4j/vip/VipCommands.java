package io.mha4j.vip;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ConfigException;
import io.mha4j.config.ServerConfig;
import io.mha4j.remote.RemoteCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The commands that add, remove and show the virtual IP on one host, in the configured style:
 * {@code ip addr add|del <vip>/32 dev <if> label <if>:<key>}, or the MHA tutorial's
 * {@code ifconfig <if>:<key> <vip>} / {@code ifconfig <if>:<key> down}; and the gratuitous ARP
 * ({@code arping -q -U -c 3 -I <if> <vip>}) that makes neighbours learn the new owner at once —
 * started in the background, since arping spends a second per announcement and the first one
 * goes out at once.
 *
 * @param vip the address
 * @param device the interface on this host
 * @param label the alias, {@code <if>:<key>}
 * @param ipStyle {@code ip} rather than {@code ifconfig}
 * @param arping the arping program; empty when none is wanted
 */
public record VipCommands(String vip, String device, String label, boolean ipStyle, Optional<String> arping) {

    /** @throws ConfigException naming {@code vip} when it is not set */
    public static VipCommands of(ApplicationConfig config, ServerConfig host) {
        String vip = config.get(VipParameters.VIP)
                .orElseThrow(() -> ConfigException.inCode(
                        "server default", VipParameters.VIP.name(), "must be set for failover_hooks=vip"));
        // The defaults are the parameters' own (VipParameters): one place.
        String device = host.value(VipParameters.VIP_INTERFACE);
        String label = device + ":" + config.value(VipParameters.VIP_KEY);
        if (label.length() > 15) {
            throw ConfigException.inCode(
                    host.block(),
                    VipParameters.VIP_KEY.name(),
                    "the label " + label + " is longer than the 15 characters an interface name may have");
        }
        boolean ipStyle = config.value(VipParameters.VIP_COMMAND_STYLE).equals("ip");
        return new VipCommands(
                vip,
                device,
                label,
                ipStyle,
                config.get(VipParameters.VIP_ARPING).filter(a -> !a.isBlank()));
    }

    public RemoteCommand add() {
        return ipStyle
                ? RemoteCommand.of("ip", "addr", "add", vip + "/32", "dev", device, "label", label)
                : RemoteCommand.of("ifconfig", label, vip, "netmask", "255.255.255.255", "up");
    }

    /**
     * Removes the VIP; with {@code arping} configured, first ends this host's own announcement of it
     * if one still runs (it announces for two seconds). Left running, it would tell the neighbours,
     * after a quick failover or switch, that the VIP is still here, and steer clients away from its
     * new owner until their ARP entries expire.
     */
    public RemoteCommand remove() {
        RemoteCommand remove = ipStyle
                ? RemoteCommand.of("ip", "addr", "del", vip + "/32", "dev", device)
                : RemoteCommand.of("ifconfig", label, "down");
        return announcement()
                .map(a -> {
                    List<String> argv = new ArrayList<>(
                            List.of("sh", "-c", SILENCE_THEN, "sh", exactly(String.join(" ", a.argv()))));
                    argv.addAll(remove.argv());
                    return RemoteCommand.of(argv);
                })
                .orElse(remove);
    }

    /** {@code line} as an extended regular expression matching only itself ({@code pkill}'s pattern). */
    static String exactly(String line) {
        return line.replaceAll("[\\\\.\\[\\]()*+?{}|^$]", "\\\\$0");
    }

    /** {@code $1}: the announcement's command line, ended if it runs ({@code pkill} may be missing: fine); then the rest. */
    static final String SILENCE_THEN = "pkill -x -f \"$1\" 2>/dev/null; shift; exec \"$@\"";

    /** Lists the interface's addresses; the VIP is there when the output names it. */
    public RemoteCommand show() {
        return (ipStyle
                        ? RemoteCommand.of("ip", "-o", "-4", "addr", "show", "dev", device)
                        : RemoteCommand.of("ifconfig", label))
                .repeatable();
    }

    public Optional<RemoteCommand> announce() {
        return announcement()
                .map(a -> RemoteCommand.of("sh", "-c", "exec >/dev/null 2>&1 </dev/null; " + a.shellLine() + " &"));
    }

    /** The gratuitous ARP itself, as {@link #announce()} starts it in the background. */
    private Optional<RemoteCommand> announcement() {
        return arping.map(a -> RemoteCommand.of(a, "-q", "-U", "-c", "3", "-I", device, vip));
    }

    /** Whether {@link #show()}'s output says the VIP is on this host. */
    public boolean shownIn(String output) {
        return output.contains(" " + vip + "/")
                || output.contains("inet " + vip + " ")
                || output.contains("inet addr:" + vip + " ");
    }
}

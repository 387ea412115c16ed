package io.mha4j.vip;

import io.mha4j.config.Parameter;
import io.mha4j.config.Parameter.Scope;
import io.mha4j.config.ParameterProvider;
import io.mha4j.config.ValueType;
import java.util.List;

/** The virtual IP's parameters ({@code failover_hooks=vip}): declared by this module, not by core. */
public final class VipParameters implements ParameterProvider {
    static final String MODULE = "mha4j-vip-ifconfig";

    public static final Parameter<String> VIP = Parameter.of(
            MODULE,
            "vip",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            null,
            "the virtual IP address applications connect to; it moves to the new master");
    public static final Parameter<String> VIP_INTERFACE = Parameter.of(
            MODULE,
            "vip_interface",
            Scope.SERVER_OR_DEFAULT,
            ValueType.nonEmptyText(),
            "eth0",
            "the network interface that carries the virtual IP on a database host");
    public static final Parameter<String> VIP_KEY = Parameter.of(
            MODULE,
            "vip_key",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            "1",
            "the alias key: the VIP is labelled <vip_interface>:<vip_key>, as the MHA tutorial's eth0:1");
    public static final Parameter<String> VIP_COMMAND_STYLE = Parameter.of(
            MODULE,
            "vip_command_style",
            Scope.APPLICATION,
            ValueType.oneOf("ip", "ifconfig"),
            "ip",
            "ip: ip addr add/del <vip>/32 dev <if> label <if>:<key>; ifconfig: the MHA tutorial's ifconfig <if>:<key> <vip>"
                    + " / down");
    public static final Parameter<String> VIP_ARPING = Parameter.of(
            MODULE,
            "vip_arping",
            Scope.APPLICATION,
            ValueType.text(),
            "arping",
            "the arping program that announces the new owner (gratuitous ARP); empty: none");

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(VIP, VIP_INTERFACE, VIP_KEY, VIP_COMMAND_STYLE, VIP_ARPING);
    }
}

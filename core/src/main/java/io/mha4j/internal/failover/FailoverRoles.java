package io.mha4j.internal.failover;

import io.mha4j.MasterElector;
import io.mha4j.TopologyRewirer;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.plugin.Plugins;

/**
 * The roles a failover and an online switch share, resolved the one way: the elector the host
 * gave, else {@code master_elector}'s, held to the designated new master when there is one; the
 * rewirer the host gave, else {@code topology_rewirer}'s.
 */
public record FailoverRoles(MasterElector elector, TopologyRewirer rewirer) {

    /**
     * @param elector the host's elector, or null for the configured one
     * @param designated the new master an operator named ({@code --new_master_host}), or null
     * @param rewirer the host's rewirer, or null for the configured one
     */
    public static FailoverRoles of(
            ApplicationConfig config, MasterElector elector, ServerConfig designated, TopologyRewirer rewirer) {
        MasterElector rules = elector != null ? elector : Plugins.masterElector(config);
        return new FailoverRoles(
                designated != null ? new DesignatedElector(rules, designated.block()) : rules,
                rewirer != null ? rewirer : Plugins.topologyRewirer(config));
    }
}

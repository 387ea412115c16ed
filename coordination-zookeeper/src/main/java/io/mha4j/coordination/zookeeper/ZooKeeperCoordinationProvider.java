package io.mha4j.coordination.zookeeper;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ConfigException;
import io.mha4j.config.Origin;
import io.mha4j.coordination.Coordination;
import io.mha4j.spi.CoordinationProvider;

/** {@code coordination=zookeeper}: Curator's leader election, one per application, on {@code zookeeper_connect}. */
public final class ZooKeeperCoordinationProvider implements CoordinationProvider {

    @Override
    public String name() {
        return "zookeeper";
    }

    /** @throws ConfigException when {@code zookeeper_connect} is not set, naming where {@code coordination} was */
    @Override
    public Coordination create(ApplicationConfig config) {
        String connect = config.get(ZooKeeperParameters.ZOOKEEPER_CONNECT).orElseThrow(() -> {
            Origin at = config.origin(io.mha4j.config.Parameter.COORDINATION);
            return ConfigException.at(
                    at,
                    at.section(),
                    ZooKeeperParameters.ZOOKEEPER_CONNECT.name(),
                    "coordination=zookeeper needs zookeeper_connect (host:port,…)");
        });
        return new ZooKeeperCoordination(
                connect,
                config.value(ZooKeeperParameters.ZOOKEEPER_ROOT),
                config.name(),
                config.value(ZooKeeperParameters.ZOOKEEPER_SESSION_TIMEOUT));
    }
}

package io.mha4j.coordination.zookeeper;

import io.mha4j.config.Parameter;
import io.mha4j.config.Parameter.Scope;
import io.mha4j.config.ParameterProvider;
import io.mha4j.config.ValueType;
import java.time.Duration;
import java.util.List;

/** {@code coordination=zookeeper}'s parameters: declared by this module, not by core. mha4j-only. */
public final class ZooKeeperParameters implements ParameterProvider {
    static final String MODULE = "mha4j-coordination-zookeeper";

    public static final Parameter<String> ZOOKEEPER_CONNECT = Parameter.of(
            MODULE,
            "zookeeper_connect",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            null,
            "the ZooKeeper ensemble the managers share: host:port,host:port,… (coordination=zookeeper)");
    public static final Parameter<String> ZOOKEEPER_ROOT = Parameter.of(
            MODULE,
            "zookeeper_root",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            "/mha4j",
            "the znode under which each application keeps its election (<root>/<application>/leader)");
    public static final Parameter<Duration> ZOOKEEPER_SESSION_TIMEOUT = Parameter.of(
            MODULE,
            "zookeeper_session_timeout",
            Scope.APPLICATION,
            ValueType.seconds(),
            Duration.ofSeconds(10),
            "seconds after which a manager cut off from ZooKeeper loses its session, and another leads");

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(ZOOKEEPER_CONNECT, ZOOKEEPER_ROOT, ZOOKEEPER_SESSION_TIMEOUT);
    }
}

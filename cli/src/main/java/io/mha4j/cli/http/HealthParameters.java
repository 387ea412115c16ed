package io.mha4j.cli.http;

import io.mha4j.config.Parameter;
import io.mha4j.config.Parameter.Scope;
import io.mha4j.config.ParameterProvider;
import io.mha4j.config.ValueType;
import java.time.Duration;
import java.util.List;

/** The health endpoints' parameters ({@code manager --http}): declared by the command line, not by core. mha4j-only. */
public final class HealthParameters implements ParameterProvider {
    static final String MODULE = "mha4j-cli";

    /**
     * The same default as the datasource module's {@code readLagLimit}: an application reading
     * through HAProxy and one reading through {@code TopologyDataSources} see the same replicas.
     */
    public static final Parameter<Duration> HTTP_REPLICA_LAG_LIMIT = Parameter.of(
            MODULE,
            "http_replica_lag_limit",
            Scope.APPLICATION,
            ValueType.seconds(),
            Duration.ofSeconds(10),
            "seconds of Seconds_Behind_Master beyond which GET /replica/<block> answers 503 (manager --http)");

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(HTTP_REPLICA_LAG_LIMIT);
    }
}

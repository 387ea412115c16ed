package io.mha4j.datasource;

import io.mha4j.config.ServerConfig;
import java.util.List;

/** Reads every server for the self-discovering source: {@link ServerSightings}, or a fake in tests. */
@FunctionalInterface
interface TopologyProbe {

    /** One sighting per server, in their order; never throws (an unread server is {@link Sighting#unreadable}). */
    List<Sighting> read(List<ServerConfig> servers);
}

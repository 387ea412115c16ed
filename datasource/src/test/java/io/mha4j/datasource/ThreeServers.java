package io.mha4j.datasource;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;

/** The application the routing tests share: server1..3 on db1..db3, port 3306; no server behind them. */
final class ThreeServers {
    static final ApplicationConfig CONFIG = ApplicationConfig.builder("app1")
            .user("mha")
            .password("secret")
            .server("server1", s -> s.hostname("db1").port(3306))
            .server("server2", s -> s.hostname("db2").port(3306))
            .server("server3", s -> s.hostname("db3").port(3306))
            .build();
    static final ServerConfig SERVER1 = CONFIG.server("server1").orElseThrow();
    static final ServerConfig SERVER2 = CONFIG.server("server2").orElseThrow();
    static final ServerConfig SERVER3 = CONFIG.server("server3").orElseThrow();

    private ThreeServers() {}
}

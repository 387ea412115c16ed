package io.mha4j.testkit;

import java.util.Objects;

/** Where a MySQL-protocol server (a sandbox node or a {@link TcpProxy}) accepts connections. */
public record Endpoint(String host, int port) {

    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * A Connector/J URL for this endpoint with bounded connect and socket timeouts, so a
     * paused or black-holed server makes a call fail instead of hanging the test.
     */
    public String jdbcUrl(int connectTimeoutMillis, int socketTimeoutMillis) {
        // allowPublicKeyRetrieval: MySQL 8's caching_sha2_password logs in without TLS only with the server's RSA key
        return "jdbc:mysql://" + host + ":" + port + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true"
                + "&connectTimeout=" + connectTimeoutMillis
                + "&socketTimeout=" + socketTimeoutMillis;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}

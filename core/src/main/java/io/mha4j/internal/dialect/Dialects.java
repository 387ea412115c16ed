package io.mha4j.internal.dialect;

import io.mha4j.server.Dialect;
import io.mha4j.server.Flavor;
import io.mha4j.server.ServerVersion;
import io.mha4j.server.UnsupportedServerException;

/** Chooses the dialect for a server version, once, when mha4j connects. */
public final class Dialects {
    private Dialects() {}

    /**
     * @throws UnsupportedServerException for MySQL before 5.7 (no WAIT_FOR_EXECUTED_GTID_SET)
     *     and MariaDB before 10.0 (no GTID)
     */
    public static Dialect forVersion(ServerVersion version) {
        if (version.flavor() == Flavor.MARIADB) {
            if (!version.isAtLeast(10, 0, 2)) {
                throw new UnsupportedServerException(version, "MariaDB 10.0.2 or later is needed for GTID replication");
            }
            return new MariaDbDialect(version);
        }
        if (!version.isAtLeast(5, 7, 5)) {
            throw new UnsupportedServerException(version, "MySQL 5.7.5 or later is needed");
        }
        if (!version.isAtLeast(8, 0, 0)) {
            return MySqlDialect.mysql57(version);
        }
        if (!version.isAtLeast(8, 2, 0)) {
            return MySqlDialect.mysql80(version);
        }
        return MySqlDialect.mysql84(version);
    }
}

package io.mha4j.server;

import io.mha4j.gtid.GtidSet;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A server's GTID configuration and positions. MySQL and MariaDB GTIDs differ in kind: MySQL
 * has {@code gtid_mode} and one executed set; MariaDB always writes GTIDs and keeps three
 * positions. Fields of the other flavor are empty.
 *
 * @param enabled GTIDs are written to the binary log (MySQL {@code gtid_mode=ON}; always on MariaDB)
 * @param gtidMode MySQL {@code gtid_mode}
 * @param enforceGtidConsistency MySQL {@code enforce_gtid_consistency}
 * @param strictMode MariaDB {@code gtid_strict_mode}
 * @param domainId MariaDB {@code gtid_domain_id}
 * @param executed everything this server has executed: MySQL {@code gtid_executed}, MariaDB
 *     {@code gtid_current_pos} joined with {@code gtid_binlog_pos} and {@code gtid_slave_pos}
 *     (the current position alone misses binlogged transactions of other server ids)
 * @param purged MySQL {@code gtid_purged}: executed but no longer in the binary logs
 * @param binlogPos MariaDB {@code gtid_binlog_pos}: the last GTID of each domain in the binlog
 * @param replicaPos MariaDB {@code gtid_slave_pos}: the last GTID applied by replication
 */
public record GtidState(
        boolean enabled,
        Optional<String> gtidMode,
        Optional<String> enforceGtidConsistency,
        Optional<Boolean> strictMode,
        OptionalLong domainId,
        GtidSet executed,
        Optional<GtidSet> purged,
        Optional<GtidSet> binlogPos,
        Optional<GtidSet> replicaPos) {

    /**
     * The settings that must match across servers for GTID failover to work, as one text:
     * {@code gtid_mode=ON enforce_gtid_consistency=ON} or {@code gtid_strict_mode=1}.
     */
    public String modeSignature() {
        StringBuilder sb = new StringBuilder();
        gtidMode.ifPresent(m -> sb.append("gtid_mode=").append(m));
        enforceGtidConsistency.ifPresent(
                e -> sb.append(" enforce_gtid_consistency=").append(e));
        strictMode.ifPresent(s -> sb.append("gtid_strict_mode=").append(s ? 1 : 0));
        return sb.toString().trim();
    }
}

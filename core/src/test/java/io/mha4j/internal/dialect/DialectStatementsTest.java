package io.mha4j.internal.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.config.Secret;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.gtid.MysqlGtidSet;
import io.mha4j.server.BinlogPosition;
import io.mha4j.server.Dialect;
import io.mha4j.server.GtidStart;
import io.mha4j.server.HeartbeatStatus;
import io.mha4j.server.ReplicationSource;
import io.mha4j.server.Row;
import io.mha4j.server.ServerVersion;
import io.mha4j.server.SqlStatement;
import io.mha4j.server.UnsupportedServerException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins every statement of every dialect: a change here is a change in what servers receive. */
class DialectStatementsTest {
    private static final ReplicationSource SOURCE =
            new ReplicationSource("10.0.0.52", 3306, "repl", Secret.of("p'w\\d"));
    private static final BinlogPosition POSITION = new BinlogPosition("mysql-bin.000042", 1234);

    static Dialect dialect(String version, String comment) {
        return Dialects.forVersion(ServerVersion.parse(version, comment));
    }

    static final Dialect MARIADB = dialect("10.11.19-MariaDB-0+deb12u1-log", "Debian 12");
    static final Dialect MARIADB_11 = dialect("11.4.5-MariaDB", "MariaDB Server");
    static final Dialect MYSQL_57 = dialect("5.7.44-log", "MySQL Community Server (GPL)");
    static final Dialect MYSQL_80 = dialect("8.0.36", "MySQL Community Server - GPL");
    static final Dialect MYSQL_84 = dialect("8.4.3", "MySQL Community Server - GPL");

    private static List<String> sql(List<SqlStatement> statements) {
        return statements.stream().map(SqlStatement::sql).toList();
    }

    @Test
    void choosesADialectPerVersion() {
        assertThat(MARIADB).isInstanceOf(MariaDbDialect.class);
        assertThat(MARIADB_11).isInstanceOf(MariaDbDialect.class);
        assertThat(MYSQL_57.replicaStatus().sql()).isEqualTo("SHOW SLAVE STATUS");
        assertThat(dialect("8.1.0", "").binaryLogStatus().sql()).isEqualTo("SHOW MASTER STATUS");
        assertThat(dialect("8.2.0", "").binaryLogStatus().sql()).isEqualTo("SHOW BINARY LOG STATUS");
        assertThat(dialect("9.1.0", "").replicaStatus().sql()).isEqualTo("SHOW REPLICA STATUS");
        assertThatThrownBy(() -> dialect("5.6.51-log", ""))
                .isInstanceOf(UnsupportedServerException.class)
                .hasMessage("5.6.51-log is not supported: MySQL 5.7.5 or later is needed");
        assertThatThrownBy(() -> dialect("5.5.68-MariaDB", ""))
                .isInstanceOf(UnsupportedServerException.class)
                .hasMessage("5.5.68-MariaDB is not supported: MariaDB 10.0.2 or later is needed for GTID replication");
    }

    @Test
    void mariadbStatements() {
        for (Dialect d : List.of(MARIADB, MARIADB_11)) {
            assertThat(d.binaryLogStatus().sql()).isEqualTo("SHOW MASTER STATUS");
            assertThat(d.replicaStatus().sql()).isEqualTo("SHOW SLAVE STATUS");
            assertThat(d.stopReplica().sql()).isEqualTo("STOP SLAVE");
            assertThat(d.stopReplicaIoThread().sql()).isEqualTo("STOP SLAVE IO_THREAD");
            assertThat(d.stopReplicaSqlThread().sql()).isEqualTo("STOP SLAVE SQL_THREAD");
            assertThat(d.startReplica().sql()).isEqualTo("START SLAVE");
            assertThat(d.startReplicaIoThread().sql()).isEqualTo("START SLAVE IO_THREAD");
            assertThat(d.startReplicaSqlThread().sql()).isEqualTo("START SLAVE SQL_THREAD");
            assertThat(d.resetReplicaAll().sql()).isEqualTo("RESET SLAVE ALL");
            assertThat(d.changeSourceByGtid(SOURCE, GtidStart.REPLICATED).sql())
                    .isEqualTo("CHANGE MASTER TO MASTER_HOST='10.0.0.52', MASTER_PORT=3306, MASTER_USER='repl',"
                            + " MASTER_PASSWORD='p''w\\\\d', MASTER_USE_GTID=slave_pos");
            assertThat(d.changeSourceByGtid(SOURCE, GtidStart.EVERYTHING_EXECUTED)
                            .sql())
                    .endsWith(", MASTER_USE_GTID=current_pos");
            assertThat(d.changeSourceByPosition(SOURCE, POSITION).sql())
                    .isEqualTo("CHANGE MASTER TO MASTER_HOST='10.0.0.52', MASTER_PORT=3306, MASTER_USER='repl',"
                            + " MASTER_PASSWORD='p''w\\\\d', MASTER_LOG_FILE='mysql-bin.000042', MASTER_LOG_POS=1234,"
                            + " MASTER_USE_GTID=no");
            assertThat(d.waitForGtids(MariadbGtidSet.parse("0-1-100,1-2-7"), Duration.ofMillis(2500))
                            .sql())
                    .isEqualTo("SELECT MASTER_GTID_WAIT('0-1-100,1-2-7', 2.5)");
            assertThat(sql(d.enableReadOnly())).containsExactly("SET GLOBAL read_only=ON");
            assertThat(sql(d.disableReadOnly())).containsExactly("SET GLOBAL read_only=OFF");
            assertThat(d.globalVariables().sql())
                    .isEqualTo("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('version',"
                            + " 'version_comment', 'server_id', 'log_bin', 'binlog_format', 'log_slave_updates',"
                            + " 'gtid_strict_mode', 'gtid_domain_id', 'gtid_binlog_pos', 'gtid_current_pos', 'gtid_slave_pos',"
                            + " 'read_only', 'relay_log_purge')");
        }
    }

    @Test
    void mysql57Statements() {
        Dialect d = MYSQL_57;
        assertThat(d.binaryLogStatus().sql()).isEqualTo("SHOW MASTER STATUS");
        assertThat(d.replicaStatus().sql()).isEqualTo("SHOW SLAVE STATUS");
        assertThat(d.stopReplica().sql()).isEqualTo("STOP SLAVE");
        assertThat(d.stopReplicaIoThread().sql()).isEqualTo("STOP SLAVE IO_THREAD");
        assertThat(d.stopReplicaSqlThread().sql()).isEqualTo("STOP SLAVE SQL_THREAD");
        assertThat(d.startReplica().sql()).isEqualTo("START SLAVE");
        assertThat(d.startReplicaIoThread().sql()).isEqualTo("START SLAVE IO_THREAD");
        assertThat(d.startReplicaSqlThread().sql()).isEqualTo("START SLAVE SQL_THREAD");
        assertThat(d.resetReplicaAll().sql()).isEqualTo("RESET SLAVE ALL");
        assertThat(d.changeSourceByGtid(SOURCE, GtidStart.REPLICATED).sql())
                .isEqualTo("CHANGE MASTER TO MASTER_HOST='10.0.0.52', MASTER_PORT=3306, MASTER_USER='repl',"
                        + " MASTER_PASSWORD='p''w\\\\d', MASTER_AUTO_POSITION=1");
        assertThat(d.changeSourceByGtid(SOURCE, GtidStart.EVERYTHING_EXECUTED))
                .isEqualTo(d.changeSourceByGtid(SOURCE, GtidStart.REPLICATED));
        assertThat(d.changeSourceByPosition(SOURCE, POSITION).sql())
                .isEqualTo("CHANGE MASTER TO MASTER_HOST='10.0.0.52', MASTER_PORT=3306, MASTER_USER='repl',"
                        + " MASTER_PASSWORD='p''w\\\\d', MASTER_LOG_FILE='mysql-bin.000042', MASTER_LOG_POS=1234,"
                        + " MASTER_AUTO_POSITION=0");
        assertThat(d.waitForGtids(
                                MysqlGtidSet.parse("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5"), Duration.ofSeconds(10))
                        .sql())
                .isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', 10)");
        assertThat(sql(d.enableReadOnly())).containsExactly("SET GLOBAL read_only=ON", "SET GLOBAL super_read_only=ON");
        assertThat(sql(d.disableReadOnly()))
                .containsExactly("SET GLOBAL super_read_only=OFF", "SET GLOBAL read_only=OFF");
    }

    @Test
    void mysql80StatementsAddThePublicKeyOption() {
        Dialect d = MYSQL_80;
        assertThat(d.stopReplica().sql()).isEqualTo("STOP SLAVE");
        assertThat(d.resetReplicaAll().sql()).isEqualTo("RESET SLAVE ALL");
        assertThat(d.binaryLogStatus().sql()).isEqualTo("SHOW MASTER STATUS");
        assertThat(d.changeSourceByGtid(SOURCE, GtidStart.REPLICATED).sql())
                .isEqualTo("CHANGE MASTER TO MASTER_HOST='10.0.0.52', MASTER_PORT=3306, MASTER_USER='repl',"
                        + " MASTER_PASSWORD='p''w\\\\d', MASTER_AUTO_POSITION=1, GET_MASTER_PUBLIC_KEY=1");
        assertThat(d.changeSourceByPosition(SOURCE, POSITION).sql())
                .endsWith("MASTER_LOG_FILE='mysql-bin.000042', MASTER_LOG_POS=1234, MASTER_AUTO_POSITION=0,"
                        + " GET_MASTER_PUBLIC_KEY=1");
        assertThat(sql(d.enableReadOnly())).containsExactly("SET GLOBAL read_only=ON", "SET GLOBAL super_read_only=ON");
    }

    @Test
    void mysql84StatementsUseSourceAndReplica() {
        Dialect d = MYSQL_84;
        assertThat(d.binaryLogStatus().sql()).isEqualTo("SHOW BINARY LOG STATUS");
        assertThat(d.replicaStatus().sql()).isEqualTo("SHOW REPLICA STATUS");
        assertThat(d.stopReplica().sql()).isEqualTo("STOP REPLICA");
        assertThat(d.stopReplicaIoThread().sql()).isEqualTo("STOP REPLICA IO_THREAD");
        assertThat(d.stopReplicaSqlThread().sql()).isEqualTo("STOP REPLICA SQL_THREAD");
        assertThat(d.startReplica().sql()).isEqualTo("START REPLICA");
        assertThat(d.startReplicaIoThread().sql()).isEqualTo("START REPLICA IO_THREAD");
        assertThat(d.startReplicaSqlThread().sql()).isEqualTo("START REPLICA SQL_THREAD");
        assertThat(d.resetReplicaAll().sql()).isEqualTo("RESET REPLICA ALL");
        assertThat(d.changeSourceByGtid(SOURCE, GtidStart.REPLICATED).sql())
                .isEqualTo("CHANGE REPLICATION SOURCE TO SOURCE_HOST='10.0.0.52', SOURCE_PORT=3306, SOURCE_USER='repl',"
                        + " SOURCE_PASSWORD='p''w\\\\d', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1");
        assertThat(d.changeSourceByPosition(SOURCE, POSITION).sql())
                .isEqualTo("CHANGE REPLICATION SOURCE TO SOURCE_HOST='10.0.0.52', SOURCE_PORT=3306, SOURCE_USER='repl',"
                        + " SOURCE_PASSWORD='p''w\\\\d', SOURCE_LOG_FILE='mysql-bin.000042', SOURCE_LOG_POS=1234,"
                        + " SOURCE_AUTO_POSITION=0, GET_SOURCE_PUBLIC_KEY=1");
        assertThat(d.waitForGtids(
                                MysqlGtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:tag_a:1-3"),
                                Duration.ofSeconds(1))
                        .sql())
                .isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET('3e11fa47-71ca-11e1-9e33-c80aa9429562:tag_a:1-3', 1)");
        assertThat(sql(d.disableReadOnly()))
                .containsExactly("SET GLOBAL super_read_only=OFF", "SET GLOBAL read_only=OFF");
        assertThat(d.globalVariables().sql()).contains("'gtid_executed'", "'super_read_only'", "'log_replica_updates'");
    }

    @Test
    void heartbeatsAreReadPerFlavor() {
        for (Dialect d : List.of(MARIADB, MARIADB_11)) {
            assertThat(d.heartbeatStatus().sql())
                    .isEqualTo("SELECT (SELECT VARIABLE_VALUE FROM"
                            + " information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SLAVE_RECEIVED_HEARTBEATS') AS Received,"
                            + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME ="
                            + " 'SLAVE_HEARTBEAT_PERIOD') AS Period, @@global.slave_net_timeout AS Net_timeout");
        }
        for (Dialect d : List.of(MYSQL_57, MYSQL_80)) {
            assertThat(d.heartbeatStatus().sql())
                    .isEqualTo("SELECT (SELECT COUNT_RECEIVED_HEARTBEATS FROM"
                            + " performance_schema.replication_connection_status WHERE CHANNEL_NAME = '') AS Received,"
                            + " (SELECT HEARTBEAT_INTERVAL FROM performance_schema.replication_connection_configuration"
                            + " WHERE CHANNEL_NAME = '') AS Period, @@global.slave_net_timeout AS Net_timeout");
        }
        assertThat(MYSQL_84.heartbeatStatus().sql()).endsWith("@@global.replica_net_timeout AS Net_timeout");
        Row row = Row.of(java.util.Map.of("Received", "17", "Period", "0.500", "Net_timeout", "60"));
        HeartbeatStatus h = MARIADB.heartbeatStatus(List.of(row));
        assertThat(h.received()).hasValue(17);
        assertThat(h.period()).contains(Duration.ofMillis(500));
        assertThat(h.netTimeout()).contains(Duration.ofSeconds(60));
        java.util.Map<String, String> nulls = new java.util.HashMap<>();
        nulls.put("Received", null);
        nulls.put("Period", null);
        nulls.put("Net_timeout", "60");
        HeartbeatStatus notAReplica = MYSQL_80.heartbeatStatus(List.of(Row.of(nulls)));
        assertThat(notAReplica.received()).isEmpty();
        assertThat(notAReplica.activePeriod()).isEmpty();
        assertThat(MYSQL_80.heartbeatStatus(List.of())).isEqualTo(HeartbeatStatus.UNKNOWN);
        assertThat(MARIADB.heartbeatStatus(List.of(
                                Row.of(java.util.Map.of("Received", "0", "Period", "0.000", "Net_timeout", "60"))))
                        .activePeriod())
                .as("heartbeats off")
                .isEmpty();
    }

    @Test
    void mha4jSetsTheHeartbeatPeriodWhenItPointsAReplicaAtASource() {
        assertThat(MARIADB.changeSourceByGtid(SOURCE, GtidStart.REPLICATED, Duration.ofMillis(1500))
                        .sql())
                .endsWith("MASTER_USE_GTID=slave_pos, MASTER_HEARTBEAT_PERIOD=1.5");
        assertThat(MYSQL_80.changeSourceByGtid(SOURCE, GtidStart.REPLICATED, Duration.ofSeconds(3))
                        .sql())
                .endsWith("MASTER_AUTO_POSITION=1, GET_MASTER_PUBLIC_KEY=1, MASTER_HEARTBEAT_PERIOD=3");
        assertThat(MYSQL_84.changeSourceByGtid(SOURCE, GtidStart.REPLICATED, Duration.ofMillis(100))
                        .sql())
                .endsWith("SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_HEARTBEAT_PERIOD=0.1");
        assertThat(MARIADB.changeSourceByGtid(SOURCE, GtidStart.REPLICATED, Duration.ofSeconds(1))
                        .toString())
                .contains("PASSWORD='xxx'");
    }

    @Test
    void passwordsAreMaskedInWhatIsShown() {
        for (Dialect d : List.of(MARIADB, MYSQL_57, MYSQL_80, MYSQL_84)) {
            SqlStatement byGtid = d.changeSourceByGtid(SOURCE, GtidStart.REPLICATED);
            SqlStatement byPos = d.changeSourceByPosition(SOURCE, POSITION);
            assertThat(byGtid.toString()).contains("PASSWORD='xxx'").doesNotContain("p''w");
            assertThat(byPos.redacted()).contains("PASSWORD='xxx'").doesNotContain("p''w");
        }
    }

    @Test
    void aFlavorCannotWaitForTheOtherFlavorsGtids() {
        assertThatThrownBy(() -> MARIADB.waitForGtids(
                        MysqlGtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MYSQL_80.waitForGtids(MariadbGtidSet.parse("0-1-5"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mariadbsBinlogToolStartsAtAByteInsteadOfAGtidPositionWhenAsked() {
        assertThat(MARIADB.binlogToolStartsAtByte()).isTrue();
        assertThat(MARIADB.binlogToSqlFrom(
                        "",
                        MARIADB.parseGtids("0-1-22"),
                        List.of("/d/mysql-bin.000003", "/d/mysql-bin.000004"),
                        5401296))
                .containsExactly(
                        "mariadb-binlog",
                        "--skip-gtid-strict-mode",
                        "--start-position=5401296",
                        "/d/mysql-bin.000003",
                        "/d/mysql-bin.000004");
        assertThat(MYSQL_84.binlogToolStartsAtByte())
                .as("not used with mysqlbinlog yet: searched from the start")
                .isFalse();
    }

    @Test
    void theBinlogToolOfEachFlavorPrintsOnlyWhatTheNewMasterLacks() {
        assertThat(MARIADB.binlogToSql("", MARIADB.parseGtids("0-1-22"), List.of("/d/mysql-bin.000003"), "/w/out.sql"))
                .containsExactly(
                        "mariadb-binlog",
                        "--skip-gtid-strict-mode",
                        "--start-position=0-1-22",
                        "--result-file=/w/out.sql",
                        "/d/mysql-bin.000003");
        assertThat(MARIADB.binlogToSql("/opt/mariadb/bin/", MARIADB.parseGtids(""), List.of("a", "b"), "o"))
                .containsExactly(
                        "/opt/mariadb/bin/mariadb-binlog", "--skip-gtid-strict-mode", "--result-file=o", "a", "b");
        assertThat(MYSQL_84.binlogToSql(
                        "/usr/local/mysql/bin",
                        MYSQL_84.parseGtids("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"),
                        List.of("binlog.000007"),
                        "o"))
                .containsExactly(
                        "/usr/local/mysql/bin/mysqlbinlog",
                        "--exclude-gtids=3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5",
                        "--result-file=o",
                        "binlog.000007");
        assertThat(MARIADB.binlogToSql("", MARIADB.parseGtids("0-1-22"), List.of("/d/mysql-bin.000003"), ""))
                .as("no result file: the text goes to standard output, streamed to the manager")
                .containsExactly(
                        "mariadb-binlog", "--skip-gtid-strict-mode", "--start-position=0-1-22", "/d/mysql-bin.000003");
        assertThat(MARIADB.binlogFollow("", "/w/client.cnf", "10.0.0.51", 3306, "/data/binlog", "mysql-bin.000007"))
                .containsExactly(
                        "mariadb-binlog",
                        "--defaults-extra-file=/w/client.cnf",
                        "--read-from-remote-server",
                        "--raw",
                        "--stop-never",
                        "--host=10.0.0.51",
                        "--port=3306",
                        "--result-file=/data/binlog/",
                        "mysql-bin.000007");
        assertThat(MYSQL_80.binlogFollow("/usr/bin", "c", "h", 1, "d/", "binlog.000001")
                        .get(0))
                .isEqualTo("/usr/bin/mysqlbinlog");
        assertThat(MARIADB.sqlClient("")).isEqualTo("mariadb");
        assertThat(MYSQL_57.sqlClient("/usr/bin")).isEqualTo("/usr/bin/mysql");
    }

    @Test
    void fencingStatementsAndTheSessionsNeverKilled() {
        assertThat(MARIADB.lockWaitTimeout(Duration.ofMillis(300)).sql()).isEqualTo("SET SESSION lock_wait_timeout=1");
        assertThat(MYSQL_80.lockWaitTimeout(Duration.ofMillis(2500)).sql())
                .isEqualTo("SET SESSION lock_wait_timeout=3");
        assertThat(MARIADB.enableOfflineMode())
                .as("MariaDB has no offline_mode")
                .isEmpty();
        for (Dialect d : List.of(MYSQL_57, MYSQL_80, MYSQL_84)) {
            assertThat(sql(d.enableOfflineMode())).containsExactly("SET GLOBAL offline_mode=ON");
        }
        assertThat(MARIADB.killSession(42).sql()).isEqualTo("KILL CONNECTION 42");
        assertThat(MARIADB.sessions().sql())
                .isEqualTo("SELECT ID, USER, COMMAND FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()");
        List<Row> rows = List.of(
                row(10, "app", "Query"),
                row(11, "root", "Sleep"),
                row(12, "system user", "Slave_SQL"),
                row(13, "repl", "Binlog Dump"),
                row(14, "event_scheduler", "Daemon"),
                row(15, "system user", "Connect"),
                row(16, "repl", "Binlog Dump GTID"));
        assertThat(MARIADB.applicationSessions(rows)).containsExactly(10L, 11L);
        assertThat(MYSQL_84.applicationSessions(rows)).containsExactly(10L, 11L);
    }

    private static Row row(long id, String user, String command) {
        return Row.of(java.util.Map.of("ID", Long.toString(id), "USER", user, "COMMAND", command));
    }
}

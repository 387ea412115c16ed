package io.mha4j.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.gtid.MysqlGtidSet;
import io.mha4j.internal.dialect.Dialects;
import io.mha4j.server.BinlogPosition;
import io.mha4j.server.Dialect;
import io.mha4j.server.Flavor;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ReplicationError;
import io.mha4j.server.Row;
import io.mha4j.server.ServerState;
import io.mha4j.server.ServerVersion;
import io.mha4j.server.SqlFailure;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerStateReaderTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final ServerStateReader reader = new ServerStateReader(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void readsAMariadbReplica() {
        Dialect d = Dialects.forVersion(ServerVersion.parse("10.11.19-MariaDB-log", ""));
        Map<String, String> replica = new HashMap<>();
        replica.put("Master_Host", "127.0.0.1");
        replica.put("Master_Port", "3306");
        replica.put("Master_User", "repl");
        replica.put("Slave_IO_Running", "Yes");
        replica.put("Slave_SQL_Running", "Yes");
        replica.put("Master_Log_File", "mysql-bin.000002");
        replica.put("Read_Master_Log_Pos", "900");
        replica.put("Relay_Master_Log_File", "mysql-bin.000002");
        replica.put("Exec_Master_Log_Pos", "800");
        replica.put("Relay_Log_File", "relay.000003");
        replica.put("Relay_Log_Pos", "555");
        replica.put("Relay_Log_Space", "524288000");
        replica.put("Seconds_Behind_Master", null);
        replica.put("SQL_Delay", "0");
        replica.put("Last_IO_Errno", "1045");
        replica.put("Last_IO_Error", "Access denied");
        replica.put("Last_SQL_Errno", "0");
        replica.put("Last_SQL_Error", "");
        replica.put("Master_Server_Id", "1");
        replica.put("Using_Gtid", "Slave_Pos");
        replica.put("Gtid_IO_Pos", "0-1-12");
        replica.put("Replicate_Do_DB", "shop");
        replica.put("Slave_SQL_Running_State", "Slave has read all relay log; waiting for more updates");
        FakeSqlSession session = new FakeSqlSession()
                .variables(
                        Map.ofEntries(
                                Map.entry("version", "10.11.19-MariaDB-log"),
                                Map.entry("version_comment", "Debian 12"),
                                Map.entry("server_id", "2"),
                                Map.entry("log_bin", "ON"),
                                Map.entry("binlog_format", "ROW"),
                                Map.entry("log_slave_updates", "ON"),
                                Map.entry("gtid_strict_mode", "ON"),
                                Map.entry("gtid_domain_id", "0"),
                                Map.entry("gtid_binlog_pos", "0-1-10"),
                                Map.entry("gtid_current_pos", "0-1-10"),
                                Map.entry("gtid_slave_pos", "0-1-10"),
                                Map.entry("read_only", "ON"),
                                Map.entry("relay_log_purge", "ON")),
                        d)
                .answer(
                        "SHOW MASTER STATUS",
                        Map.of(
                                "File",
                                "mysql-bin.000001",
                                "Position",
                                "4242",
                                "Binlog_Do_DB",
                                "",
                                "Binlog_Ignore_DB",
                                "mysql"))
                .answer("SHOW SLAVE STATUS", List.of(Row.of(replica)));

        ServerState s = reader.read(session, d);

        assertThat(s.readAt()).isEqualTo(NOW);
        assertThat(s.flavor()).isEqualTo(Flavor.MARIADB);
        assertThat(s.serverId()).isEqualTo(2);
        assertThat(s.serverUuid()).isEmpty();
        assertThat(s.logBin()).isTrue();
        assertThat(s.logReplicaUpdates()).isTrue();
        assertThat(s.isWritable()).isFalse();
        assertThat(s.superReadOnly()).isEmpty();
        assertThat(s.binlogPosition()).contains(new BinlogPosition("mysql-bin.000001", 4242));
        assertThat(s.gtid().strictMode()).contains(true);
        assertThat(s.gtid().executed()).isEqualTo(MariadbGtidSet.parse("0-1-10"));
        assertThat(s.gtid().modeSignature()).isEqualTo("gtid_strict_mode=1");
        assertThat(s.filters().binlogIgnoreDb()).isEqualTo("mysql");
        assertThat(s.filters().replicateDoDb()).isEqualTo("shop");
        ReplicaStatus r = s.replica().orElseThrow();
        assertThat(r.source()).isEqualTo("127.0.0.1:3306");
        assertThat(r.isReplicating()).isTrue();
        assertThat(r.hasAppliedAllReceived()).isFalse();
        assertThat(r.readSourcePosition()).contains(new BinlogPosition("mysql-bin.000002", 900));
        assertThat(r.positioning()).isEqualTo(ReplicaStatus.Positioning.GTID_REPLICATED_POSITION);
        assertThat(r.receivedGtids()).contains(MariadbGtidSet.parse("0-1-12"));
        assertThat(r.executedGtids()).contains(MariadbGtidSet.parse("0-1-10"));
        assertThat(r.secondsBehindSource()).isEmpty();
        assertThat(r.lastIoError()).isEqualTo(new ReplicationError(1045, "Access denied"));
        assertThat(r.lastSqlError().isPresent()).isFalse();
        assertThat(r.relayLogSpace()).isEqualTo(524_288_000L);
        assertThat(r.halfAppliedBytes())
                .as("read 900, executed 800 in the same file")
                .isEqualTo(100);
    }

    @Test
    void readsAMysql84MasterWithRenamedColumns() {
        Dialect d = Dialects.forVersion(ServerVersion.parse("8.4.3", "MySQL Community Server - GPL"));
        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        FakeSqlSession session = new FakeSqlSession()
                .variables(
                        Map.ofEntries(
                                Map.entry("version", "8.4.3"),
                                Map.entry("version_comment", "GPL"),
                                Map.entry("server_id", "1"),
                                Map.entry("server_uuid", uuid),
                                Map.entry("log_bin", "ON"),
                                Map.entry("binlog_format", "ROW"),
                                Map.entry("log_replica_updates", "ON"),
                                Map.entry("gtid_mode", "ON"),
                                Map.entry("enforce_gtid_consistency", "ON"),
                                Map.entry(
                                        "gtid_executed",
                                        uuid.toUpperCase() + ":1-5,\n" + uuid.replace('3', '4') + ":1"),
                                Map.entry("gtid_purged", ""),
                                Map.entry("read_only", "OFF"),
                                Map.entry("super_read_only", "OFF"),
                                Map.entry("relay_log_purge", "ON")),
                        d)
                .answer("SHOW BINARY LOG STATUS", Map.of("File", "binlog.000003", "Position", "197"))
                .answer("SHOW REPLICA STATUS", List.of());

        ServerState s = reader.read(session, d);

        assertThat(s.flavor()).isEqualTo(Flavor.MYSQL);
        assertThat(s.serverUuid()).contains(uuid);
        assertThat(s.isWritable()).isTrue();
        assertThat(s.superReadOnly()).contains(false);
        assertThat(s.gtid().enabled()).isTrue();
        assertThat(s.gtid().modeSignature()).isEqualTo("gtid_mode=ON enforce_gtid_consistency=ON");
        assertThat(s.gtid().executed().count()).isEqualTo(6);
        assertThat(s.gtid().executed()).isEqualTo(MysqlGtidSet.parse(uuid + ":1-5," + uuid.replace('3', '4') + ":1"));
        assertThat(s.isReplica()).isFalse();
    }

    @Test
    void readsAMysql84ReplicaWithSourceColumns() {
        Dialect d = Dialects.forVersion(ServerVersion.parse("8.4.3", ""));
        Map<String, String> row = new HashMap<>();
        row.put("Source_Host", "db1");
        row.put("Source_Port", "3306");
        row.put("Replica_IO_Running", "Connecting");
        row.put("Replica_SQL_Running", "Yes");
        row.put("Source_Log_File", "binlog.000003");
        row.put("Read_Source_Log_Pos", "197");
        row.put("Relay_Source_Log_File", "binlog.000003");
        row.put("Exec_Source_Log_Pos", "197");
        row.put("Seconds_Behind_Source", "4");
        row.put("Auto_Position", "1");
        row.put("Retrieved_Gtid_Set", "");
        row.put("Executed_Gtid_Set", "");
        row.put("Source_Server_Id", "1");
        row.put("Relay_Log_Space", "1187");
        FakeSqlSession session = new FakeSqlSession()
                .variables(Map.of("version", "8.4.3", "gtid_mode", "ON", "gtid_executed", "", "gtid_purged", ""), d)
                .answer("SHOW BINARY LOG STATUS", List.of())
                .answer("SHOW REPLICA STATUS", List.of(Row.of(row)));

        ReplicaStatus r = reader.read(session, d).replica().orElseThrow();

        assertThat(r.source()).isEqualTo("db1:3306");
        assertThat(r.ioThread()).isEqualTo(ReplicaStatus.IoThread.CONNECTING);
        assertThat(r.isReplicating()).isFalse();
        assertThat(r.hasAppliedAllReceived()).isTrue();
        assertThat(r.secondsBehindSource()).hasValue(4);
        assertThat(r.positioning()).isEqualTo(ReplicaStatus.Positioning.GTID_AUTO_POSITION);
        assertThat(r.sourceServerId()).isEqualTo(1);
        assertThat(r.relayLogSpace()).isEqualTo(1187);
        assertThat(r.halfAppliedBytes()).isZero();
    }

    @Test
    void aFailedQueryYieldsNoSnapshot() {
        Dialect d = Dialects.forVersion(ServerVersion.parse("10.11.19-MariaDB", ""));
        FakeSqlSession session = new FakeSqlSession()
                .variables(Map.of("version", "10.11.19-MariaDB"), d)
                .answer("SHOW MASTER STATUS", List.of());
        assertThatThrownBy(() -> reader.read(session, d))
                .isInstanceOf(SqlFailure.class)
                .hasMessageContaining("'SHOW SLAVE STATUS' failed");
    }
}

package io.mha4j.internal.dialect;

/**
 * Column names of the replica status, which MySQL 8.4 renamed from master/slave to
 * source/replica (MariaDB keeps the old ones).
 */
record ReplicaStatusColumns(
        String sourceHost,
        String sourcePort,
        String sourceUser,
        String ioRunning,
        String sqlRunning,
        String sourceLogFile,
        String readSourceLogPos,
        String relaySourceLogFile,
        String execSourceLogPos,
        String secondsBehindSource,
        String sourceServerId,
        String sqlRunningState,
        String sourceUuid) {

    static final ReplicaStatusColumns MASTER_SLAVE = new ReplicaStatusColumns(
            "Master_Host",
            "Master_Port",
            "Master_User",
            "Slave_IO_Running",
            "Slave_SQL_Running",
            "Master_Log_File",
            "Read_Master_Log_Pos",
            "Relay_Master_Log_File",
            "Exec_Master_Log_Pos",
            "Seconds_Behind_Master",
            "Master_Server_Id",
            "Slave_SQL_Running_State",
            "Master_UUID");

    static final ReplicaStatusColumns SOURCE_REPLICA = new ReplicaStatusColumns(
            "Source_Host",
            "Source_Port",
            "Source_User",
            "Replica_IO_Running",
            "Replica_SQL_Running",
            "Source_Log_File",
            "Read_Source_Log_Pos",
            "Relay_Source_Log_File",
            "Exec_Source_Log_Pos",
            "Seconds_Behind_Source",
            "Source_Server_Id",
            "Replica_SQL_Running_State",
            "Source_UUID");
}

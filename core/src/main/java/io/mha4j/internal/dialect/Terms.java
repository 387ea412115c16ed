package io.mha4j.internal.dialect;

/**
 * The words a server version uses for replication statements: MySQL 8.4 removed the
 * master/slave spellings that MySQL 5.7/8.0 and MariaDB use.
 *
 * @param replica {@code SLAVE} or {@code REPLICA} in STOP/START/RESET/SHOW … STATUS
 * @param changeSource {@code CHANGE MASTER TO} or {@code CHANGE REPLICATION SOURCE TO}
 * @param optionPrefix {@code MASTER_} or {@code SOURCE_} before HOST, PORT, USER…
 * @param binaryLogStatus {@code SHOW MASTER STATUS} or {@code SHOW BINARY LOG STATUS}
 * @param columns the replica status column names
 */
record Terms(
        String replica,
        String changeSource,
        String optionPrefix,
        String binaryLogStatus,
        ReplicaStatusColumns columns) {

    static final Terms MASTER_SLAVE =
            new Terms("SLAVE", "CHANGE MASTER TO", "MASTER_", "SHOW MASTER STATUS", ReplicaStatusColumns.MASTER_SLAVE);

    static final Terms SOURCE_REPLICA = new Terms(
            "REPLICA",
            "CHANGE REPLICATION SOURCE TO",
            "SOURCE_",
            "SHOW BINARY LOG STATUS",
            ReplicaStatusColumns.SOURCE_REPLICA);
}

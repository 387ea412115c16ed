package io.mha4j.check;

/** What a finding is about; stable names a host application can switch on. */
public enum FindingKind {
    SERVER_UNREACHABLE,
    NO_MASTER,
    SEVERAL_MASTERS,
    MASTER_UNREACHABLE,
    SEVERAL_WRITABLE,
    WRONG_SOURCE,
    UNKNOWN_SOURCE,
    IO_THREAD_NOT_RUNNING,
    SQL_THREAD_NOT_RUNNING,
    REPLICATION_ERROR,
    DUPLICATE_SERVER_ID,
    LOG_BIN_OFF,
    LOG_SLAVE_UPDATES_OFF,
    NO_CANDIDATE,
    BINLOG_FORMAT_DIFFERS,
    GTID_MODE_DIFFERS,
    GTID_OFF,
    FILTERS_DIFFER,
    NOT_READ_ONLY,
    NOT_SUPER_READ_ONLY,
    RELAY_LOG_PURGE_ON,
    /**
     * A replica's relay logs are large: promoting it deletes them before it takes writes ({@code
     * RESET SLAVE ALL}), rewiring it deletes them too.
     */
    LARGE_RELAY_LOGS,
    REPLICATION_LAG,
    DELAYED_REPLICA,
    ERRANT_TRANSACTIONS,
    /** A replica's heartbeats are too slow (or off) to prove a silent master within the detection window. */
    HEARTBEAT_TOO_SLOW,
    /** {@code slave_net_timeout} is long: a silent master is noticed late where heartbeats cannot prove it. */
    NET_TIMEOUT_LONG,
    REPLICATION_LOGIN_FAILED,
    BINLOG_SERVER_UNREACHABLE,
    SCRIPT_MISSING,
    SCRIPT_NOT_EXECUTABLE,
    SCRIPT_STATUS_FAILED,
    SCRIPT_NOT_DEFINED,
    SSH_FAILED,
    TOPOLOGY
}

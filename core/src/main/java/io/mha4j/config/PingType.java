package io.mha4j.config;

/** How the monitor checks the master, as MHA's {@code ping_type}. */
public enum PingType {
    /** Open a new connection each time. */
    CONNECT,
    /** Run {@code SELECT 1} on a kept connection (MHA's default). */
    SELECT,
    /** Upsert a heartbeat row into {@code infra.chk_masterha}: proves the master can write. */
    INSERT
}

package io.mha4j.manager;

import java.util.Arrays;
import java.util.Optional;

/**
 * MHA's manager states with MHA's numbers; {@code check_status} exits with the number and the
 * status file holds {@code <number>:<name>}.
 */
public enum ManagerStatus {
    PING_OK(0),
    NOT_RUNNING(2),
    PARTIALLY_RUNNING(3),
    INITIALIZING_MONITOR(10),
    PING_FAILING(20),
    PING_FAILED(21),
    RETRYING_MONITOR(30),
    CONFIG_ERROR(31),
    TIMESTAMP_OLD(32),
    FAILOVER_RUNNING(50),
    FAILOVER_ERROR(51);

    private final int code;

    ManagerStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** {@code 0:PING_OK}: the form MHA writes and prints. */
    public String label() {
        return code + ":" + name();
    }

    public static Optional<ManagerStatus> parseLabel(String label) {
        return Arrays.stream(values()).filter(s -> s.label().equals(label)).findFirst();
    }
}

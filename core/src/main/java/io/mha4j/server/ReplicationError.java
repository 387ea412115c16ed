package io.mha4j.server;

/**
 * The last error of a replication thread ({@code Last_IO_Errno}/{@code Last_IO_Error}, or the
 * SQL thread's); {@link #NONE} when there is none.
 */
public record ReplicationError(int errno, String message) {
    public static final ReplicationError NONE = new ReplicationError(0, "");

    public ReplicationError {
        message = message == null ? "" : message;
    }

    public boolean isPresent() {
        return errno != 0 || !message.isEmpty();
    }

    @Override
    public String toString() {
        return isPresent() ? "error " + errno + ": " + message : "none";
    }
}

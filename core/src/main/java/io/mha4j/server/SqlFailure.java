package io.mha4j.server;

import io.mha4j.Mha4jException;

/**
 * A SQL statement or connection attempt that failed, with the server, the statement as it may
 * be shown ({@link SqlStatement#redacted()}), and the server's error code and SQLSTATE.
 */
public final class SqlFailure extends Mha4jException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure, as the failover logic needs to tell them apart. */
    public enum Kind {
        /** Nothing listens: the server process is gone or not started. */
        CONNECTION_REFUSED,
        /** No answer in time: host down, network cut, or the server hangs. */
        TIMEOUT,
        /** The server answered and refused the login. */
        ACCESS_DENIED,
        /** A connection that was open broke. */
        CONNECTION_LOST,
        /** The server executed the statement and returned an error. */
        STATEMENT_ERROR,
        /** Anything else (unknown host, protocol error…). */
        OTHER
    }

    private final String server;
    private final String statement;
    private final Kind kind;
    private final int errorCode;
    private final String sqlState;

    public SqlFailure(
            String server,
            String statement,
            Kind kind,
            int errorCode,
            String sqlState,
            String detail,
            Throwable cause) {
        super(
                server + ": " + (statement == null ? "connect" : "'" + statement + "'") + " failed: " + detail
                        + (errorCode > 0 ? " (error " + errorCode + ")" : ""),
                cause);
        this.server = server;
        this.statement = statement;
        this.kind = kind;
        this.errorCode = errorCode;
        this.sqlState = sqlState;
    }

    public String server() {
        return server;
    }

    /** The statement as shown to people, or {@code null} for a connection attempt. */
    public String statement() {
        return statement;
    }

    public Kind kind() {
        return kind;
    }

    /** The server's error number (e.g. 1045), or 0 when the server did not answer. */
    public int errorCode() {
        return errorCode;
    }

    public String sqlState() {
        return sqlState;
    }
}

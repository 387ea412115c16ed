package io.mha4j.internal.sql;

import io.mha4j.server.SqlFailure;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;

/** Sorts the driver's exceptions into the few kinds failover logic must tell apart. */
final class SqlFailures {
    private static final int ACCESS_DENIED = 1045;

    private SqlFailures() {}

    static SqlFailure of(String server, String statement, SQLException e) {
        Throwable root = rootCause(e);
        SqlFailure.Kind kind;
        String detail;
        if (root instanceof ConnectException) {
            kind = SqlFailure.Kind.CONNECTION_REFUSED;
            detail = "connection refused";
        } else if (root instanceof SocketTimeoutException) {
            kind = SqlFailure.Kind.TIMEOUT;
            detail = "no answer in time";
        } else if (root instanceof NoRouteToHostException) {
            kind = SqlFailure.Kind.TIMEOUT;
            detail = "no route to host";
        } else if (root instanceof UnknownHostException) {
            kind = SqlFailure.Kind.OTHER;
            detail = "unknown host " + root.getMessage();
        } else if (e.getErrorCode() == ACCESS_DENIED) {
            kind = SqlFailure.Kind.ACCESS_DENIED;
            detail = firstLine(e.getMessage());
        } else if (e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException
                || "08S01".equals(e.getSQLState())) {
            kind = statement == null ? SqlFailure.Kind.OTHER : SqlFailure.Kind.CONNECTION_LOST;
            detail = firstLine(e.getMessage());
        } else {
            kind = statement == null ? SqlFailure.Kind.OTHER : SqlFailure.Kind.STATEMENT_ERROR;
            detail = firstLine(e.getMessage());
        }
        return new SqlFailure(server, statement, kind, e.getErrorCode(), e.getSQLState(), detail, e);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

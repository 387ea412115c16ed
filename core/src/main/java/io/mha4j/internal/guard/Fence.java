package io.mha4j.internal.guard;

import io.mha4j.server.Dialect;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.SqlFailure;
import io.mha4j.server.SqlStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a server unable to take writes, in this order: {@code read_only=1} (and
 * {@code super_read_only} on MySQL), read back; {@code offline_mode=ON} where the server has it;
 * then every application session still connected is killed, so that no pool keeps a session
 * through which a SUPER user could still write, and the application notices at once.
 *
 * <p>{@code SET GLOBAL read_only=1} waits for running statements and for the commit lock. The
 * session's {@code lock_wait_timeout} is set short so that the wait fails fast; the sessions
 * in the way are killed and read_only is tried again ({@value #ATTEMPTS} times at most).
 */
final class Fence {
    private static final Logger log = LoggerFactory.getLogger(Fence.class);
    static final Duration LOCK_WAIT = Duration.ofSeconds(1);
    static final int ATTEMPTS = 3;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_NO_SUCH_THREAD = 1094;

    /**
     * What was done.
     *
     * @param actions each step, for the log and the event
     * @param readOnlyAt when read_only=1 was read back
     * @param sessionsKilled how many application sessions were killed
     */
    record Result(List<String> actions, Instant readOnlyAt, int sessionsKilled) {}

    private Fence() {}

    /** @throws SqlFailure when a step failed: the server may still take writes */
    static Result run(ServerConnection c, Clock clock) {
        Dialect d = c.dialect();
        List<String> actions = new ArrayList<>();
        int killed = 0;
        c.execute(d.lockWaitTimeout(LOCK_WAIT));
        for (int attempt = 1; ; attempt++) {
            try {
                c.execute(d.enableReadOnly());
                break;
            } catch (SqlFailure e) {
                if (e.errorCode() != ER_LOCK_WAIT_TIMEOUT || attempt == ATTEMPTS) {
                    throw e;
                }
                int k = killApplicationSessions(c);
                killed += k;
                actions.add("read_only waited for a lock: killed " + k + " session(s) in the way");
            }
        }
        String readOnly = c.query(SqlStatement.of("SELECT @@GLOBAL.read_only AS read_only"))
                .get(0)
                .text("read_only");
        if (!"1".equals(readOnly)) {
            throw new SqlFailure(
                    c.config().displayName(),
                    "SELECT @@GLOBAL.read_only",
                    SqlFailure.Kind.OTHER,
                    0,
                    "",
                    "read_only reads " + readOnly + " after it was set",
                    null);
        }
        Instant readOnlyAt = clock.instant();
        actions.add(d.enableReadOnly().stream()
                .map(SqlStatement::redacted)
                .map(s -> s.replace("SET GLOBAL ", ""))
                .reduce((a, b) -> a + ", " + b)
                .orElse("read_only=ON"));
        if (!d.enableOfflineMode().isEmpty()) {
            c.execute(d.enableOfflineMode());
            actions.add("offline_mode=ON");
        }
        int k = killApplicationSessions(c);
        killed += k;
        actions.add("killed " + k + " application session(s)");
        return new Result(actions, readOnlyAt, killed);
    }

    /** Kills every session but replication, system threads and this one; a session that ended meanwhile is fine. */
    static int killApplicationSessions(ServerConnection c) {
        Dialect d = c.dialect();
        int killed = 0;
        for (long id : d.applicationSessions(c.query(d.sessions()))) {
            try {
                c.execute(d.killSession(id));
                killed++;
            } catch (SqlFailure e) {
                if (e.errorCode() != ER_NO_SUCH_THREAD) {
                    throw e;
                }
                log.debug(
                        "{}: session {} ended before it was killed", c.config().displayName(), id);
            }
        }
        return killed;
    }
}

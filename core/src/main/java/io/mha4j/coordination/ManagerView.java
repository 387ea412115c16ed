package io.mha4j.coordination;

import io.mha4j.monitor.VerdictKind;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one manager of an application sees of its master, as it publishes it to the others: the
 * leader reads them before it acts on a death only it may have seen, and {@code check_status}
 * lists them.
 *
 * @param manager the manager ({@link Coordination#id()})
 * @param leading whether it leads
 * @param master the configuration block of the master it monitors
 * @param seen its monitor's verdict
 * @param lastPing when its last ping ended
 * @param lastPingOk when its last ping succeeded; empty if none did yet
 */
public record ManagerView(
        String manager,
        boolean leading,
        String master,
        VerdictKind seen,
        Instant lastPing,
        Optional<Instant> lastPingOk) {

    public ManagerView {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(seen, "seen");
        Objects.requireNonNull(lastPing, "lastPing");
        Objects.requireNonNull(lastPingOk, "lastPingOk");
    }

    /** Whether it cannot reach {@code block}'s master either: a vote for its death. */
    public boolean seesDown(String block) {
        return master.equals(block) && (seen == VerdictKind.FAILING || seen == VerdictKind.DEAD);
    }

    /** One line for status: {@code host-b/77 (standby): ALIVE, last ping 12:00:01Z (ok)}. */
    public String describe() {
        return manager + " (" + (leading ? "leader" : "standby") + "): master " + master + " " + seen + ", last ping "
                + lastPing
                + lastPingOk.filter(lastPing::equals).map(ok -> " (ok)").orElse(" (failed)");
    }
}

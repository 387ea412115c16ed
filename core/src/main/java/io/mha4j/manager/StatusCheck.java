package io.mha4j.manager;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code check_status} answers, from the manager's lock and status file: the status
 * (its number is the exit code) and MHA's line for it, e.g.
 * {@code app1 (pid:14410) is running(0:PING_OK), master:10.0.0.51}.
 *
 * @param status the manager's status
 * @param lines what to print, MHA's wording
 */
public record StatusCheck(ManagerStatus status, List<String> lines) {

    /** MHA's limit on the status file's age, raised for ping intervals above a third of it. */
    static Duration staleAfter(Duration pingInterval) {
        Duration three = pingInterval.multipliedBy(3);
        return three.compareTo(Duration.ofSeconds(10)) > 0 ? three : Duration.ofSeconds(10);
    }

    public static StatusCheck of(
            String app, Path workdir, Duration pingInterval, Optional<String> managerLog, Instant now) {
        StatusFile file = new StatusFile(workdir, app);
        boolean running = ManagerLock.isHeld(workdir, app);
        Optional<StatusFile.Entry> entry = file.read();
        if (!running) {
            return new StatusCheck(
                    ManagerStatus.NOT_RUNNING,
                    List.of(app + " is stopped(" + ManagerStatus.NOT_RUNNING.label() + ")."));
        }
        if (entry.isEmpty() || entry.get().parsedStatus().isEmpty()) {
            return initializing(app);
        }
        StatusFile.Entry e = entry.get();
        MonitoringNote note = new MonitoringNote(workdir, app);
        ManagerStatus s = e.parsedStatus().get();
        String master = e.master().map(m -> "master:" + m).orElse("");
        String check = "Check " + managerLog.orElse("the manager's log") + " for details.";
        StatusCheck mha = switch (s) {
            case INITIALIZING_MONITOR -> standingBy(app, note).orElseGet(() -> initializing(app));
            case PING_OK -> {
                Duration age = Duration.between(e.modified(), now);
                if (age.compareTo(staleAfter(pingInterval)) > 0) {
                    yield new StatusCheck(
                            ManagerStatus.TIMESTAMP_OLD,
                            List.of(
                                    file.path() + " behinds " + age.toSeconds() + " seconds!",
                                    app + " is running, but master_ping.health is too old("
                                            + ManagerStatus.TIMESTAMP_OLD.label() + "). Maybe process hangs? "
                                            + master));
                }
                yield new StatusCheck(
                        s, List.of(app + " (pid:" + e.pid() + ") is running(" + s.label() + "), " + master));
            }
            case PING_FAILING, PING_FAILED ->
                new StatusCheck(s, List.of(app + " master maybe down(" + s.label() + "). " + master, check));
            case RETRYING_MONITOR ->
                new StatusCheck(
                        s,
                        List.of(app
                                + " monitoring waits for retrying to monitor master again(" + s.label()
                                + "). Wait for a while and try checking again."));
            case CONFIG_ERROR ->
                new StatusCheck(s, List.of(app + " servers are not correctly configured(" + s.label() + ").", check));
            case FAILOVER_RUNNING ->
                new StatusCheck(
                        s,
                        List.of(app + " master is down and failover is running(" + s.label() + "). " + master, check));
            case FAILOVER_ERROR ->
                new StatusCheck(
                        s,
                        List.of(
                                app + " master is down and failover was not successful(" + s.label() + "). " + master,
                                check));
            default -> new StatusCheck(s, List.of(app + " (pid:" + e.pid() + ") is " + s.label()));
        };
        if (s == ManagerStatus.INITIALIZING_MONITOR) {
            return mha;
        }
        // MHA's lines first, for the scripts that read them; then what a manager of several adds.
        List<String> lines = new ArrayList<>(mha.lines());
        note.about().forEach(line -> lines.add(app + ": " + line));
        return new StatusCheck(mha.status(), lines);
    }

    /**
     * MHA's initializing status (its code and first line, for the scripts that read them), then what
     * a manager of several says while another leads ({@code coordination}).
     */
    private static Optional<StatusCheck> standingBy(String app, MonitoringNote note) {
        return note.about().stream()
                .filter(n -> n.startsWith(MonitoringNote.STANDING_BY))
                .findFirst()
                .map(n -> new StatusCheck(
                        ManagerStatus.INITIALIZING_MONITOR,
                        List.of(initializing(app).lines().get(0), app + ": " + n)));
    }

    private static StatusCheck initializing(String app) {
        return new StatusCheck(
                ManagerStatus.INITIALIZING_MONITOR,
                List.of(app
                        + " monitoring program is now on initialization phase("
                        + ManagerStatus.INITIALIZING_MONITOR.label()
                        + "). Wait for a while and try checking again."));
    }
}

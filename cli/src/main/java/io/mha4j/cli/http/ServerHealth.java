package io.mha4j.cli.http;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.server.ReplicaReading;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one application's health endpoints answer, from its manager's events and the readings of its
 * replicas; no I/O, so that the rules are tested as events in, answers out.
 *
 * <p>The master's rule: 200 for the server the manager monitors as master, from the start-up check
 * that found it (or the phase 3 that made it writable, {@link ManagerEvent.MasterChanged}) until the
 * manager declares it dead ({@link VerdictKind#DEAD}, {@link ManagerEvent.FailoverStarted}). From
 * that moment no server answers 200 until the new master is writable: HAProxy never sees two
 * masters, and while nobody is master the write port refuses rather than send writes to a dead
 * server.
 *
 * <p>The replicas' rule is core's {@link ReplicaReading}: both threads running and a lag within
 * {@link HealthParameters#HTTP_REPLICA_LAG_LIMIT}. A replica that only lost its source (receiver
 * reconnecting, applier running) keeps its last good answer until that limit has passed since the
 * good reading was taken, whether or not a failover runs yet: after a kill -9 every replica shows it
 * at once, seconds before the manager declares the master dead, and what it applied is all there is
 * to read. Past the limit it may be further behind than the limit allows, so it leaves the reads.
 *
 * <p>Once the manager stopped ({@link ManagerEvent.Stopped}) every answer is 503 and the replicas
 * are no longer read: nothing follows the topology any more (an online switch, which MHA runs with
 * the manager stopped, would leave a stale 200 on the demoted master), as when the whole process is
 * gone.
 */
final class ServerHealth {

    /** One HTTP answer: a status code and a line for the human reading HAProxy's log. */
    record Answer(int status, String body) {
        static Answer ok(String body) {
            return new Answer(200, body);
        }

        static Answer unavailable(String body) {
            return new Answer(503, body);
        }
    }

    private final String application;
    private final Map<String, ServerConfig> servers = new LinkedHashMap<>();
    private final Duration lagLimit;

    private String master;
    /** Whether the failover running (or the last one) published {@link ManagerEvent.MasterChanged}. */
    private boolean masterChanged;
    /** Why the master is no longer one (declared dead, being failed over); null while it serves. */
    private String masterDown;

    private boolean failoverRunning;
    /** Never changed once set: a new topology replaces it. */
    private Map<String, ServerConfig> replicas = Map.of();

    /** One reading and when its read began. */
    private record Reading(ReplicaReading reading, long takenAt) {}

    private List<String> guarded = List.of();
    private final Map<String, Reading> readings = new HashMap<>();
    private String stopped;

    ServerHealth(ApplicationConfig config) {
        this.application = config.name();
        config.servers().forEach(s -> servers.put(s.block(), s));
        this.lagLimit = config.value(HealthParameters.HTTP_REPLICA_LAG_LIMIT);
    }

    String application() {
        return application;
    }

    /** Takes one event of the manager; never throws, returns at once (the manager's threads call it). */
    synchronized void onEvent(ManagerEvent event) {
        if (stopped != null) {
            return; // Stopped is the last event: a monitor or guard finishing its tick must not revive the answers
        }
        if (event instanceof ManagerEvent.MonitoringStarted m) {
            master = m.master().block();
            masterDown = null;
            failoverRunning = false;
            replicas = byBlock(m.replicas());
            guarded = m.guarded().stream().map(ServerConfig::block).toList();
            // A replica's last reading stays: a check after a failover must not take every replica
            // out of the reads until the next reading.
            readings.keySet().retainAll(replicas.keySet());
        } else if (event instanceof ManagerEvent.VerdictChanged v) {
            if (!v.verdict().server().block().equals(master)) {
                // A monitor of an earlier master finishing its last tick: it speaks of a server no longer master.
                return;
            }
            if (v.verdict().kind() == VerdictKind.DEAD) {
                masterDown = "declared dead: " + v.verdict().reason();
            } else if (!failoverRunning) {
                // The managers did not agree, or the master answered again before any failover began.
                masterDown = null;
            }
        } else if (event instanceof ManagerEvent.FailoverStarted f) {
            failoverRunning = true;
            masterChanged = false;
            if (f.deadMaster().block().equals(master)) {
                masterDown = "being failed over: " + f.verdict().reason();
            }
        } else if (event instanceof ManagerEvent.MasterChanged m) {
            masterChanged(m.oldMaster(), m.newMaster());
        } else if (event instanceof ManagerEvent.FailoverEnded f) {
            failoverRunning = false;
            if (f.newMaster().isPresent() && !masterChanged) {
                // The phase relay publishes MasterChanged; a failover action without it (a hook ahead of it that
                // threw in beforePhase) still promoted this server: core's MhaManager fills the gap the same way.
                masterChanged(f.deadMaster(), f.newMaster().get());
            }
        } else if (event instanceof ManagerEvent.Stopped s) {
            stopped = s.summary();
            // Nothing is read any more: the last readings must not answer for replicas nobody watches.
            replicas = Map.of();
            readings.clear();
        }
    }

    private void masterChanged(ServerConfig oldMaster, ServerConfig newMaster) {
        masterChanged = true;
        master = newMaster.block();
        masterDown = null;
        Map<String, ServerConfig> left = new LinkedHashMap<>(replicas);
        left.remove(master);
        left.remove(oldMaster.block());
        replicas = left;
        readings.keySet().retainAll(replicas.keySet());
    }

    /** The replicas to read now. */
    synchronized List<ServerConfig> replicas() {
        return List.copyOf(replicas.values());
    }

    /**
     * Takes a reading of {@code replica} whose read began at {@code takenAt} ({@link System#nanoTime()}
     * or the tests' clock): the start, so that the age of what it says is never underestimated.
     */
    synchronized void onReading(ServerConfig replica, ReplicaReading reading, long takenAt) {
        String block = replica.block();
        if (!replicas.containsKey(block)) {
            return; // left the topology while it was read (or the manager stopped)
        }
        Reading last = readings.get(block);
        if (reading.sourceLost()
                && last != null
                && last.reading().refusal(lagLimit).isEmpty()
                && takenAt - last.takenAt() < lagLimit.toNanos()) {
            // Only its source is gone (a dead master, before or during its failover): what it applied stays readable
            // until it may be further behind than the limit.
            return;
        }
        readings.put(block, new Reading(reading, takenAt));
    }

    /** {@code GET /master/<block>}. */
    synchronized Answer master(String block) {
        return known(block).or(this::ifStopped).orElseGet(() -> {
            if (master == null) {
                return Answer.unavailable("no master known yet: the manager is not monitoring");
            }
            if (!block.equals(master)) {
                return Answer.unavailable("not the master (" + role(block) + "); the master is " + master);
            }
            if (masterDown != null) {
                return Answer.unavailable("the master, " + masterDown);
            }
            return Answer.ok("the master, writable");
        });
    }

    /** {@code GET /replica/<block>}. */
    synchronized Answer replica(String block) {
        return known(block).or(this::ifStopped).orElseGet(() -> {
            if (!replicas.containsKey(block)) {
                return Answer.unavailable("not a replica (" + role(block) + ")");
            }
            if (!readings.containsKey(block)) {
                return Answer.unavailable("a replica, not read yet");
            }
            ReplicaReading reading = readings.get(block).reading();
            return reading.refusal(lagLimit)
                    .map(why -> Answer.unavailable("a replica taking no reads: " + why))
                    .orElseGet(() -> Answer.ok("a replica, lag "
                            + reading.lag().orElseThrow().toSeconds() + " s <= " + lagLimit.toSeconds() + " s"));
        });
    }

    /**
     * Every server's two answers, one line each ({@code app1 server2: master 200, replica 503 (the
     * master, writable)}), read at one instant: the page a human (or a test) reads to see that never
     * two servers are master.
     */
    synchronized List<String> lines() {
        return servers.keySet().stream()
                .map(block -> {
                    Answer m = master(block);
                    Answer r = replica(block);
                    return application + " " + block + ": master " + m.status() + ", replica " + r.status() + " ("
                            + (m.status() == 200 ? m.body() : r.body()) + ")";
                })
                .toList();
    }

    private Optional<Answer> known(String block) {
        return servers.containsKey(block)
                ? Optional.empty()
                : Optional.of(new Answer(
                        404,
                        "no block [" + block + "] in " + application + "; its blocks: "
                                + String.join(", ", servers.keySet())));
    }

    /**
     * The manager stopped: nothing follows the topology any more, and its last master may be demoted
     * by an online switch at any moment (MHA runs one only with the manager stopped), so no server is
     * vouched for, as when the process is gone.
     */
    private Optional<Answer> ifStopped() {
        return stopped == null
                ? Optional.empty()
                : Optional.of(Answer.unavailable("the manager of " + application + " stopped: " + stopped));
    }

    private String role(String block) {
        if (block.equals(master)) {
            return "the master";
        }
        if (replicas.containsKey(block)) {
            return "a replica";
        }
        if (guarded.contains(block)) {
            return "guarded: an old master or a replica a failover could not recover";
        }
        return master == null ? "no topology known yet" : "outside the monitored topology";
    }

    private static Map<String, ServerConfig> byBlock(List<ServerConfig> servers) {
        Map<String, ServerConfig> m = new LinkedHashMap<>();
        servers.forEach(s -> m.put(s.block(), s));
        return m;
    }
}

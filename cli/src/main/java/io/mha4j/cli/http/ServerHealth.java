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
 * {@link HealthParameters#HTTP_REPLICA_LAG_LIMIT}. A replica that only lost the dead master during
 * a failover (receiver reconnecting, applier running) keeps its answer until it is rewired, as the
 * datasource module's reader does: what it applied is all there is to read.
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
    /** Why the master is no longer one (declared dead, being failed over); null while it serves. */
    private String masterDown;

    private boolean failoverRunning;
    /** Never changed once set: a new topology replaces it. */
    private Map<String, ServerConfig> replicas = Map.of();

    private List<String> guarded = List.of();
    private final Map<String, ReplicaReading> readings = new HashMap<>();
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
            if (f.deadMaster().block().equals(master)) {
                masterDown = "being failed over: " + f.verdict().reason();
            }
        } else if (event instanceof ManagerEvent.MasterChanged m) {
            master = m.newMaster().block();
            masterDown = null;
            Map<String, ServerConfig> left = new LinkedHashMap<>(replicas);
            left.remove(master);
            left.remove(m.oldMaster().block());
            replicas = left;
            readings.keySet().retainAll(replicas.keySet());
        } else if (event instanceof ManagerEvent.FailoverEnded) {
            failoverRunning = false;
        } else if (event instanceof ManagerEvent.Stopped s) {
            stopped = s.summary();
        }
    }

    /** The replicas to read now. */
    synchronized List<ServerConfig> replicas() {
        return List.copyOf(replicas.values());
    }

    /** Takes a reading of {@code replica} made a moment ago. */
    synchronized void onReading(ServerConfig replica, ReplicaReading reading) {
        String block = replica.block();
        if (!replicas.containsKey(block)) {
            return; // left the topology while it was read
        }
        if (reading.sourceLost() && failoverRunning && readable(block)) {
            return;
        }
        readings.put(block, reading);
    }

    /** {@code GET /master/<block>}. */
    synchronized Answer master(String block) {
        return known(block).orElseGet(() -> {
            if (master == null) {
                return Answer.unavailable(note("no master known yet: the manager is not monitoring"));
            }
            if (!block.equals(master)) {
                return Answer.unavailable(note("not the master (" + role(block) + "); the master is " + master));
            }
            if (masterDown != null) {
                return Answer.unavailable(note("the master, " + masterDown));
            }
            return Answer.ok(note("the master, writable"));
        });
    }

    /** {@code GET /replica/<block>}. */
    synchronized Answer replica(String block) {
        return known(block).orElseGet(() -> {
            if (!replicas.containsKey(block)) {
                return Answer.unavailable(note("not a replica (" + role(block) + ")"));
            }
            ReplicaReading reading = readings.get(block);
            if (reading == null) {
                return Answer.unavailable(note("a replica, not read yet"));
            }
            return reading.refusal(lagLimit)
                    .map(why -> Answer.unavailable(note("a replica taking no reads: " + why)))
                    .orElseGet(() -> Answer.ok(note("a replica, lag "
                            + reading.lag().orElseThrow().toSeconds() + " s <= " + lagLimit.toSeconds() + " s")));
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

    private boolean readable(String block) {
        ReplicaReading r = readings.get(block);
        return r != null && r.refusal(lagLimit).isEmpty();
    }

    /** The manager stopped: its last view is all there is, and nothing fails over any more; say so. */
    private String note(String body) {
        return stopped == null ? body : body + " (the manager stopped: " + stopped + ")";
    }

    private static Map<String, ServerConfig> byBlock(List<ServerConfig> servers) {
        Map<String, ServerConfig> m = new LinkedHashMap<>();
        servers.forEach(s -> m.put(s.block(), s));
        return m;
    }
}

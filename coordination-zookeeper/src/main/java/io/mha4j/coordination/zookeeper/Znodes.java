package io.mha4j.coordination.zookeeper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.coordination.ManagerView;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.monitor.VerdictKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * What the managers keep in ZooKeeper, and its JSON: {@code <root>/<application>/leader} (the
 * election), {@code …/managers/<id>} (each manager's view, ephemeral), {@code …/failover} (the
 * last failover's record), {@code …/watched} (the master a leader monitors; removed when it stops
 * cleanly). JSON so that a human reads them with {@code zkCli.sh get}.
 */
final class Znodes {
    private static final ObjectMapper JSON = new ObjectMapper();

    final String leader;
    final String managers;
    final String failover;
    final String watched;

    Znodes(String root, String application) {
        String base = (root.endsWith("/") ? root : root + "/") + application;
        this.leader = base + "/leader";
        this.managers = base + "/managers";
        this.failover = base + "/failover";
        this.watched = base + "/watched";
    }

    String manager(String id) {
        return managers + "/" + id;
    }

    static byte[] write(ManagerView v) {
        ObjectNode n = JSON.createObjectNode()
                .put("manager", v.manager())
                .put("leading", v.leading())
                .put("master", v.master())
                .put("seen", v.seen().name())
                .put("lastPing", v.lastPing().toString());
        v.lastPingOk().ifPresent(ok -> n.put("lastPingOk", ok.toString()));
        return bytes(n);
    }

    static ManagerView view(byte[] data) {
        JsonNode n = tree(data);
        return new ManagerView(
                n.path("manager").asText(),
                n.path("leading").asBoolean(),
                n.path("master").asText(),
                VerdictKind.valueOf(n.path("seen").asText()),
                Instant.parse(n.path("lastPing").asText()),
                text(n, "lastPingOk").map(Instant::parse));
    }

    static byte[] write(FailoverRecord r) {
        ObjectNode n = JSON.createObjectNode()
                .put("epoch", r.epoch())
                .put("manager", r.manager())
                .put("deadMaster", r.deadMaster())
                .put("state", r.state().name())
                .put("started", r.started().toString())
                .put("updated", r.updated().toString());
        r.newMaster().ifPresent(m -> n.put("newMaster", m));
        r.phase().ifPresent(p -> n.put("phase", p.name()));
        r.acknowledged()
                .ifPresent(a -> n.putObject("acknowledged")
                        .put("at", a.at().toString())
                        .put("who", a.who())
                        .put("reason", a.reason()));
        return bytes(n);
    }

    static byte[] watched(String master, String manager) {
        return bytes(JSON.createObjectNode().put("master", master).put("manager", manager));
    }

    static String watchedMaster(byte[] data) {
        return tree(data).path("master").asText();
    }

    static String watchedManager(byte[] data) {
        return tree(data).path("manager").asText();
    }

    /** The record in {@code data}; empty for the empty node made before the first failover. */
    static Optional<FailoverRecord> record(byte[] data) {
        if (data == null || data.length == 0) {
            return Optional.empty();
        }
        JsonNode n = tree(data);
        JsonNode ack = n.path("acknowledged");
        return Optional.of(new FailoverRecord(
                n.path("epoch").asLong(),
                n.path("manager").asText(),
                n.path("deadMaster").asText(),
                text(n, "newMaster"),
                text(n, "phase").map(FailoverPhase::valueOf),
                FailoverRecord.State.valueOf(n.path("state").asText()),
                Instant.parse(n.path("started").asText()),
                Instant.parse(n.path("updated").asText()),
                ack.isObject()
                        ? Optional.of(new FailoverRecord.Acknowledgement(
                                Instant.parse(ack.path("at").asText()),
                                ack.path("who").asText(),
                                ack.path("reason").asText()))
                        : Optional.empty()));
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static JsonNode tree(byte[] data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException("not a record of mha4j's managers: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

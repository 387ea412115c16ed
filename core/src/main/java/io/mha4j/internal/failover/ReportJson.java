package io.mha4j.internal.failover;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mha4j.failover.Compensation;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.PhaseTiming;
import io.mha4j.failover.ReplicaOutcome;
import io.mha4j.failover.TimedStep;
import java.util.List;

/**
 * A {@link FailoverReport} as one JSON object with stable camelCase names: durations in
 * milliseconds, instants in ISO-8601, GTID sets as text, an absent value as {@code null}. Built
 * as a tree so that the public records carry no serialization annotations.
 */
public final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportJson() {}

    public static String render(FailoverReport r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("application", r.application());
        root.put("subject", r.subject());
        root.put("outcome", r.outcome().name());
        root.put("exitCode", r.outcome().exitCode());
        root.put("deadMaster", r.deadMaster());
        root.put("newMaster", r.newMaster().orElse(null));
        root.put("electionReason", r.electionReason());
        ObjectNode losers = root.putObject("losers");
        r.losers().forEach(losers::put);
        ObjectNode errant = root.putObject("errantTransactions");
        r.errantTransactions().forEach((server, gtids) -> errant.put(server, gtids.toString()));
        r.compensation()
                .ifPresentOrElse(
                        c -> compensation(root.putObject("compensation"), c), () -> root.putNull("compensation"));
        possibleLoss(root, r);
        ArrayNode phases = root.putArray("phases");
        for (PhaseTiming p : r.phases()) {
            ObjectNode phase = phases.addObject()
                    .put("phase", p.phase().name())
                    .put("title", p.phase().title())
                    .put("durationMs", p.duration().toMillis())
                    .put("result", p.result());
            steps(phase, p.steps());
        }
        ArrayNode replicas = root.putArray("replicas");
        for (ReplicaOutcome o : r.replicas()) {
            replicas.addObject()
                    .put("server", o.server())
                    .put("host", o.host())
                    .put("recovered", o.recovered())
                    .put("detail", o.detail())
                    .put("reason", o.reason().name());
        }
        root.put("rejoinStatement", r.rejoinStatement().orElse(null));
        ArrayNode errors = root.putArray("errors");
        r.errors().forEach(errors::add);
        root.put("startedAt", r.startedAt().toString());
        root.put("endedAt", r.endedAt().toString());
        root.put("durationMs", r.duration().toMillis());
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    private static void compensation(ObjectNode node, Compensation c) {
        node.put("source", c.source());
        node.put("gtids", c.applied().map(Object::toString).orElse(null));
        node.put("transactions", c.transactions());
        node.put("savedEvents", c.savedEvents().orElse(null));
        node.put("note", c.note());
        node.put("checked", c.checked());
        node.put("durationMs", c.took().toMillis());
        steps(node, c.steps());
    }

    private static void steps(ObjectNode node, List<TimedStep> steps) {
        ArrayNode array = node.putArray("steps");
        for (TimedStep s : steps) {
            array.addObject()
                    .put("name", s.name())
                    .put("durationMs", s.took().toMillis())
                    .put("detail", s.detail());
        }
    }

    /**
     * {@code possibleLoss}: null, or what a monitoring system alerts on: the GTID position after
     * which the dead master's transactions could not be checked, why, and the sentence to show.
     */
    private static void possibleLoss(ObjectNode root, FailoverReport r) {
        r.possibleLoss()
                .ifPresentOrElse(
                        l -> root.putObject("possibleLoss")
                                .put("after", l.after().toString())
                                .put("reason", l.reason())
                                .put("message", l.describe()),
                        () -> root.putNull("possibleLoss"));
    }
}

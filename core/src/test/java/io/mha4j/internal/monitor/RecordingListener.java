package io.mha4j.internal.monitor;

import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every ping and verdict it is told about. */
final class RecordingListener implements MonitorListener {
    final List<PingOutcome> pings = new CopyOnWriteArrayList<>();
    final List<Verdict> verdicts = new CopyOnWriteArrayList<>();

    @Override
    public void onPing(PingOutcome outcome) {
        pings.add(outcome);
    }

    @Override
    public void onVerdict(Verdict verdict) {
        verdicts.add(verdict);
    }

    List<VerdictKind> kinds() {
        return verdicts.stream().map(Verdict::kind).toList();
    }

    boolean saw(VerdictKind kind) {
        return verdicts.stream().anyMatch(v -> v.kind() == kind);
    }
}

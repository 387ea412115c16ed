package io.mha4j.manager;

import io.mha4j.FailoverHook;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverPhase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hook through which a manager's failover publishes its phases and the moment the new master
 * took over: phase 4 begins only after phase 3 returned, and phase 3 ends with the new master
 * writable. An observer that never throws (a throwing {@code beforePhase} would veto the failover).
 */
final class PhaseRelay implements FailoverHook {
    private static final Logger log = LoggerFactory.getLogger(PhaseRelay.class);

    private final Consumer<ManagerEvent> events;
    private final Clock clock;
    private final UnaryOperator<ServerConfig> canonical;
    private final Map<FailoverPhase, Instant> started = new EnumMap<>(FailoverPhase.class);

    /** @param canonical the configuration's own server for one the failover's (rebuilt) configuration has */
    PhaseRelay(Consumer<ManagerEvent> events, Clock clock, UnaryOperator<ServerConfig> canonical) {
        this.events = events;
        this.clock = clock;
        this.canonical = canonical;
    }

    @Override
    public String name() {
        return "manager-events";
    }

    @Override
    public synchronized void beforePhase(FailoverPhase phase, FailoverContext context) {
        try {
            Instant now = clock.instant();
            if (phase == FailoverPhase.RECOVER_REPLICAS && context.newMaster().isPresent()) {
                events.accept(new ManagerEvent.MasterChanged(
                        now,
                        canonical.apply(context.deadMaster()),
                        canonical.apply(context.newMaster().get())));
            }
            started.put(phase, now);
            events.accept(new ManagerEvent.PhaseStarted(now, phase));
        } catch (RuntimeException e) {
            log.warn("publishing the start of {} failed; the failover goes on", phase, e);
        }
    }

    @Override
    public synchronized void afterPhase(FailoverPhase phase, FailoverContext context) {
        try {
            Instant now = clock.instant();
            events.accept(
                    new ManagerEvent.PhaseEnded(now, phase, Duration.between(started.getOrDefault(phase, now), now)));
        } catch (RuntimeException e) {
            log.warn("publishing the end of {} failed; the failover goes on", phase, e);
        }
    }
}

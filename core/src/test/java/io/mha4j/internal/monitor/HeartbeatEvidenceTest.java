package io.mha4j.internal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeartbeatEvidenceTest {

    private static Duration s(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    @Test
    void silenceProvesASilentSourceAfterThePeriodAndAMarginOfHalfAPeriodAtLeastASecond() {
        assertThat(HeartbeatEvidence.silenceProof(s(0.5))).isEqualTo(s(1.5));
        assertThat(HeartbeatEvidence.silenceProof(s(1))).isEqualTo(s(2));
        assertThat(HeartbeatEvidence.silenceProof(s(6))).isEqualTo(s(9));
        assertThat(HeartbeatEvidence.silenceProof(s(30))).isEqualTo(s(45));
    }

    @Test
    void withMhasDefaultsAPeriodUpTo6SIsEvidenceAndTheServersDefaultIsNot() {
        assertThat(HeartbeatEvidence.judgeable(s(6), s(3), 4)).isTrue();
        assertThat(HeartbeatEvidence.judgeable(s(6.5), s(3), 4)).isFalse();
        assertThat(HeartbeatEvidence.judgeable(s(30), s(3), 4)).isFalse();
        assertThat(HeartbeatEvidence.judgeable(s(2), s(1), 4)).isTrue();
        assertThat(HeartbeatEvidence.judgeable(Duration.ZERO, s(3), 4))
                .as("heartbeats off")
                .isFalse();
    }

    @Test
    void thePeriodMha4jSetsIsThePingIntervalUnlessTheWindowIsTooShortForIt() {
        assertThat(HeartbeatEvidence.periodFor(s(3), 4)).isEqualTo(s(3));
        assertThat(HeartbeatEvidence.periodFor(s(1), 4)).isEqualTo(s(1));
        assertThat(HeartbeatEvidence.periodFor(s(3), 2)).isEqualTo(s(2));
        assertThat(HeartbeatEvidence.periodFor(s(60), 4)).isEqualTo(s(30));
        assertThat(HeartbeatEvidence.periodFor(s(0.05), 4)).isEqualTo(s(0.1));
        for (int limit = 2; limit <= 6; limit++) {
            for (double ping : new double[] {1.5, 2, 3, 5, 10}) {
                Duration p = HeartbeatEvidence.periodFor(s(ping), limit);
                assertThat(HeartbeatEvidence.judgeable(p, s(ping), limit))
                        .as("ping %s limit %s -> %s", ping, limit, p)
                        .isTrue();
            }
        }
    }
}

package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How often the background writer tries again while nothing can be reached (a port nobody listens on). */
class WriteLedgerRetryTest {

    @Test
    void aFixedRetryTriesAgainEveryPauseWhereTheDefaultBacksOff() throws IOException {
        Endpoint nobody = new Endpoint("127.0.0.1", closedPort());

        assertThat(attemptsWithin(WriteLedger.builder(() -> nobody).retryEvery(Duration.ofMillis(10))))
                .as("every 10 ms for 400 ms")
                .isGreaterThanOrEqualTo(10);
        assertThat(attemptsWithin(WriteLedger.builder(() -> nobody)))
                .as("10, 20, 40, 80, 160 ms… apart: at most six tries in 400 ms")
                .isLessThanOrEqualTo(7);
    }

    private static int attemptsWithin(WriteLedger.Builder builder) {
        try (WriteLedger ledger = builder.build()) {
            ledger.start(1_000, Duration.ofMillis(400));
            await().atMost(Duration.ofSeconds(10)).until(() -> !ledger.isWriting());
            return ledger.stop().noTarget();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

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
        // The first attempt of a JVM loads the driver (hundreds of ms): not what is counted here.
        try (WriteLedger warmUp = WriteLedger.builder(() -> nobody).build()) {
            assertThat(warmUp.writeOne()).isEqualTo(WriteOutcome.NO_TARGET);
        }

        assertThat(attemptsWithin(WriteLedger.builder(() -> nobody).retryEvery(Duration.ofMillis(10))))
                .as("every 10 ms for a second: about 100, and at least 20 on a loaded machine")
                .isGreaterThanOrEqualTo(20);
        assertThat(attemptsWithin(WriteLedger.builder(() -> nobody)))
                .as("10, 20, 40 … 320, 500 ms apart: at most seven tries in a second, however fast each is")
                .isLessThanOrEqualTo(8);
    }

    private static int attemptsWithin(WriteLedger.Builder builder) {
        try (WriteLedger ledger = builder.build()) {
            ledger.start(1_000, Duration.ofSeconds(1));
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

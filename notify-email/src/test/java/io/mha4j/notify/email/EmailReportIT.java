package io.mha4j.notify.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real failover on the sandbox mails its report to a real SMTP server (GreenMail on
 * loopback): exactly one message, MHA-style subject, the text report as body, the JSON
 * attached; transactions that may be lost are in the subject, the body and the JSON; with the SMTP
 * server down the failover succeeds and the mail gives up within its budget.
 */
class EmailReportIT {
    @TempDir
    Path workdir;

    private SandboxCluster cluster;
    private GreenMail smtp;

    @BeforeEach
    void start() throws IOException {
        cluster = SandboxCluster.builder().nodes(3).start();
        smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
        cluster.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private ApplicationConfig config(int smtpPort, UnaryOperator<ApplicationConfig.Builder> extra) {
        return config(smtpPort, extra, n -> n.dataDir().toString());
    }

    /** @param binlogDir each node's {@code master_binlog_dir} */
    private ApplicationConfig config(
            int smtpPort, UnaryOperator<ApplicationConfig.Builder> extra, Function<SandboxNode, String> binlogDir) {
        ApplicationConfig.Builder b = SandboxConfigs.builder(
                        cluster, workdir, (n, s) -> s.masterBinlogDirs(List.of(binlogDir.apply(n))))
                .set(MailParameters.SMTP_HOST, "127.0.0.1")
                .set(MailParameters.SMTP_PORT, smtpPort)
                .set(MailParameters.MAIL_FROM, "mha4j@example.invalid")
                .set(MailParameters.MAIL_TO, List.of("dba@example.invalid", "oncall@example.invalid"));
        return extra.apply(b).build();
    }

    @Test
    void theReportHookFoundByNameMailsExactlyOneMessageWithBodyAndJson() throws Exception {
        ApplicationConfig config =
                config(smtp.getSmtp().getPort(), b -> b.set(Parameter.FAILOVER_HOOKS, List.of("email")));
        cluster.node(1).kill();

        FailoverReport report =
                MasterFailover.builder(config).build().run(config.servers().get(0));

        assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        assertThat(smtp.waitForIncomingEmail(5_000, 2)).isTrue();
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).as("one message, delivered to two recipients").hasSize(2);
        MimeMessage m = received[0];
        assertThat(m.getMessageID()).isEqualTo(received[1].getMessageID());
        assertThat(m.getSubject())
                .isEqualTo(report.subject())
                .contains("app1")
                .contains("succeeded")
                .contains(config.servers().get(0).displayName())
                .contains(report.newMaster().orElseThrow());
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(GreenMailUtil.getBody(parts.getBodyPart(0))).contains("----- Failover Report -----");
        assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("failover-report.json");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("application/json");
        assertThat(new String(
                        parts.getBodyPart(1).getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"outcome\" : \"SUCCEEDED\"");
    }

    @Test
    void transactionsThatMayBeLostAreInTheSubjectTheBodyAndTheJson() throws Exception {
        // The dead master's binary logs are not where the configuration says: nobody can read its tail.
        ApplicationConfig config = config(
                smtp.getSmtp().getPort(),
                b -> b.set(Parameter.FAILOVER_HOOKS, List.of("email")),
                n -> n.index() == 1
                        ? workdir.resolve("wrong-dir").toString()
                        : n.dataDir().toString());
        cluster.node(1).execute("CREATE DATABASE mail_it");
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(30));
        String replicasHad = cluster.node(1).queryForString("SELECT @@GLOBAL.gtid_binlog_pos");
        cluster.node(1).kill();

        FailoverReport report =
                MasterFailover.builder(config).build().run(config.servers().get(0));

        assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.PARTIAL);
        assertThat(smtp.waitForIncomingEmail(5_000, 2)).isTrue();
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject())
                .isEqualTo(report.subject())
                .endsWith("done, but transactions after GTID " + replicasHad + " may be lost");
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertThat(GreenMailUtil.getBody(parts.getBodyPart(0)))
                .contains("POSSIBLE DATA LOSS: transactions after GTID " + replicasHad
                        + " could not be checked and may be lost");
        assertThat(new String(
                        parts.getBodyPart(1).getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"outcome\" : \"PARTIAL\"", "\"possibleLoss\" : {", "\"after\" : \"" + replicasHad + "\"");
    }

    @Test
    void anSmtpServerThatIsDownCostsAtMostTheBudgetAndTheFailoverSucceeds() throws Exception {
        int closed = freePort();
        ApplicationConfig config = config(
                closed,
                b -> b.set(MailParameters.MAIL_BUDGET, Duration.ofSeconds(2)).set(MailParameters.MAIL_ATTEMPTS, 10));
        EmailReportHook hook = new EmailReportHook();
        cluster.node(1).kill();

        FailoverReport report = MasterFailover.builder(config)
                .hook(hook)
                .build()
                .run(config.servers().get(0));

        assertThat(report.outcome()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        EmailReportHook.Delivery d = hook.lastDelivery();
        assertThat(d.sent()).isFalse();
        assertThat(d.attempts()).isBetween(2, 10);
        assertThat(d.took()).as("given up within mail_budget").isLessThan(Duration.ofSeconds(3));
        assertThat(d.lastError()).containsIgnoringCase("connect");
    }
}

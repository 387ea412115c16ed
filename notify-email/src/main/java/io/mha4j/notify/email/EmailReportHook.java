package io.mha4j.notify.email;

import io.mha4j.FailoverHook;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverReport;
import io.mha4j.spi.FailoverHookProvider;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mails the failover report ({@code failover_hooks=email}): the subject in the spirit of MHA's
 * {@code send_report} (application, outcome, old and new master), the text report as the body,
 * the JSON report attached. Tries {@code mail_attempts} times with a doubling pause, all within
 * {@code mail_budget}; what still fails is logged. It runs after the failover has finished, and
 * as an observer it cannot change the failover's outcome.
 */
public final class EmailReportHook implements FailoverHook, FailoverHookProvider {
    private static final Logger log = LoggerFactory.getLogger(EmailReportHook.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_ATTEMPT = Duration.ofSeconds(10);
    private static final String LOCAL_NAME = localName();

    private final Clock clock;
    private volatile Delivery lastDelivery;

    /** How the last report went out: attempts made, time taken, and the last error when it did not. */
    public record Delivery(boolean sent, int attempts, Duration took, String lastError) {}

    public EmailReportHook() {
        this(Clock.systemUTC());
    }

    EmailReportHook(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "email";
    }

    /** Holds nothing of one application: its own provider. */
    @Override
    public FailoverHook create(ApplicationConfig config) {
        return this;
    }

    @Override
    public void report(FailoverContext context, FailoverReport report) {
        lastDelivery = send(MailSettings.of(context.config()), report);
    }

    /** The outcome of the last {@link #report}, for tests and host applications. */
    public Delivery lastDelivery() {
        return lastDelivery;
    }

    Delivery send(MailSettings settings, FailoverReport report) {
        Instant start = clock.instant();
        Instant deadline = start.plus(settings.budget());
        Duration pause = FIRST_PAUSE;
        String lastError = "";
        int attempt = 0;
        while (attempt < settings.attempts()) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            attempt++;
            try {
                Transport.send(message(settings, report, left.compareTo(MAX_ATTEMPT) < 0 ? left : MAX_ATTEMPT));
                Duration took = Duration.between(start, clock.instant());
                log.info(
                        "Failover report mailed to {} via {} (attempt {}, {} ms)",
                        settings.to(),
                        settings,
                        attempt,
                        took.toMillis());
                return new Delivery(true, attempt, took, "");
            } catch (MessagingException | RuntimeException e) {
                lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                log.warn(
                        "Mailing the failover report via {} failed (attempt {} of {}): {}",
                        settings,
                        attempt,
                        settings.attempts(),
                        lastError);
            }
            Duration wait = min(pause, Duration.between(clock.instant(), deadline));
            if (attempt < settings.attempts() && !wait.isNegative()) {
                LockSupport.parkNanos(wait.toNanos());
            }
            pause = pause.multipliedBy(2);
        }
        Duration took = Duration.between(start, clock.instant());
        log.error(
                "The failover report was not mailed after {} attempt(s) in {} ms (mail_budget {} s): {}",
                attempt,
                took.toMillis(),
                settings.budget().toSeconds(),
                lastError);
        return new Delivery(false, attempt, took, lastError);
    }

    /** The kernel's host name, read without a DNS lookup. */
    private static String localName() {
        try {
            String name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname"))
                    .trim();
            return name.isEmpty() ? "localhost" : name;
        } catch (java.io.IOException | RuntimeException e) {
            return "localhost";
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Message message(MailSettings s, FailoverReport report, Duration timeout) throws MessagingException {
        Properties p = new Properties();
        String protocol = s.security().equals("ssl") ? "smtps" : "smtp";
        String ms = Long.toString(Math.max(1, timeout.toMillis()));
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", s.host());
        p.put("mail." + protocol + ".port", Integer.toString(s.port()));
        p.put("mail." + protocol + ".connectiontimeout", ms);
        p.put("mail." + protocol + ".timeout", ms);
        p.put("mail." + protocol + ".writetimeout", ms);
        // The HELO name: without it the mail library looks this host up in DNS.
        p.put("mail." + protocol + ".localhost", LOCAL_NAME);
        if (s.security().equals("starttls")) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        Session session;
        if (s.user().isPresent()) {
            p.put("mail." + protocol + ".auth", "true");
            String user = s.user().get();
            String password = s.password().map(pw -> pw.reveal()).orElse("");
            session = Session.getInstance(p, new jakarta.mail.Authenticator() {
                @Override
                protected jakarta.mail.PasswordAuthentication getPasswordAuthentication() {
                    return new jakarta.mail.PasswordAuthentication(user, password);
                }
            });
        } else {
            session = Session.getInstance(p);
        }
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(s.from()));
        for (String to : s.to()) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        }
        m.setSubject(report.subject(), StandardCharsets.UTF_8.name());
        MimeBodyPart body = new MimeBodyPart();
        body.setText(report.toText(), StandardCharsets.UTF_8.name());
        MimeBodyPart json = new MimeBodyPart();
        json.setContent(report.toJson(), "application/json; charset=utf-8");
        json.setFileName("failover-report.json");
        MimeMultipart multipart = new MimeMultipart();
        multipart.addBodyPart(body);
        multipart.addBodyPart(json);
        m.setContent(multipart);
        m.setSentDate(java.util.Date.from(report.endedAt()));
        return m;
    }
}

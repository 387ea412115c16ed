package io.mha4j.notify.email;

import io.mha4j.config.Parameter;
import io.mha4j.config.Parameter.Scope;
import io.mha4j.config.ParameterProvider;
import io.mha4j.config.Secret;
import io.mha4j.config.ValueType;
import java.time.Duration;
import java.util.List;

/** The e-mail report's parameters ({@code failover_hooks=email}): declared by this module, not by core. */
public final class MailParameters implements ParameterProvider {
    static final String MODULE = "mha4j-notify-email";

    public static final Parameter<String> SMTP_HOST = Parameter.of(
            MODULE,
            "smtp_host",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            "localhost",
            "SMTP server for the failover report mail");
    public static final Parameter<Integer> SMTP_PORT =
            Parameter.of(MODULE, "smtp_port", Scope.APPLICATION, ValueType.port(), 25, "SMTP port");
    public static final Parameter<String> SMTP_SECURITY = Parameter.of(
            MODULE,
            "smtp_security",
            Scope.APPLICATION,
            ValueType.oneOf("none", "starttls", "ssl"),
            "none",
            "none, starttls (required) or ssl (TLS from the start)");
    public static final Parameter<String> SMTP_USER = Parameter.of(
            MODULE,
            "smtp_user",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            null,
            "SMTP login; none: no authentication");
    public static final Parameter<Secret> SMTP_PASSWORD =
            Parameter.of(MODULE, "smtp_password", Scope.APPLICATION, ValueType.secret(), null, "SMTP password");
    public static final Parameter<String> MAIL_FROM = Parameter.of(
            MODULE,
            "mail_from",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            null,
            "sender of the failover report mail");
    public static final Parameter<List<String>> MAIL_TO = Parameter.of(
            MODULE,
            "mail_to",
            Scope.APPLICATION,
            ValueType.commaList(),
            List.of(),
            "recipients of the failover report mail (comma-separated)");
    public static final Parameter<Integer> MAIL_ATTEMPTS = Parameter.of(
            MODULE,
            "mail_attempts",
            Scope.APPLICATION,
            ValueType.positiveInt(),
            3,
            "tries to send the report mail, with a doubling pause between them");
    public static final Parameter<Duration> MAIL_BUDGET = Parameter.of(
            MODULE,
            "mail_budget",
            Scope.APPLICATION,
            ValueType.seconds(),
            Duration.ofSeconds(10),
            "seconds the report mail may take in all, retries included; then it is given up and logged");

    @Override
    public List<Parameter<?>> parameters() {
        return List.of(
                SMTP_HOST,
                SMTP_PORT,
                SMTP_SECURITY,
                SMTP_USER,
                SMTP_PASSWORD,
                MAIL_FROM,
                MAIL_TO,
                MAIL_ATTEMPTS,
                MAIL_BUDGET);
    }
}

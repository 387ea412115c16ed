package io.mha4j.notify.email;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ConfigException;
import io.mha4j.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where and how the report is mailed, from the application's configuration.
 *
 * @param host SMTP host
 * @param port SMTP port
 * @param security {@code none}, {@code starttls} (required) or {@code ssl}
 * @param user SMTP login, when the server wants one
 * @param password its password
 * @param from sender
 * @param to recipients
 * @param attempts tries, at most
 * @param budget the time all tries may take together
 */
public record MailSettings(
        String host,
        int port,
        String security,
        Optional<String> user,
        Optional<Secret> password,
        String from,
        List<String> to,
        int attempts,
        Duration budget) {

    /** @throws ConfigException naming the parameter when {@code mail_from} or {@code mail_to} is missing */
    public static MailSettings of(ApplicationConfig config) {
        String from = config.get(MailParameters.MAIL_FROM)
                .orElseThrow(() -> ConfigException.inCode(
                        "server default", MailParameters.MAIL_FROM.name(), "must be set for failover_hooks=email"));
        List<String> to = config.value(MailParameters.MAIL_TO);
        if (to.isEmpty()) {
            throw ConfigException.inCode(
                    "server default",
                    MailParameters.MAIL_TO.name(),
                    "must name at least one recipient for failover_hooks=email");
        }
        // The defaults are the parameters' own (MailParameters): one place.
        return new MailSettings(
                config.value(MailParameters.SMTP_HOST),
                config.value(MailParameters.SMTP_PORT),
                config.value(MailParameters.SMTP_SECURITY),
                config.get(MailParameters.SMTP_USER),
                config.get(MailParameters.SMTP_PASSWORD),
                from,
                to,
                config.value(MailParameters.MAIL_ATTEMPTS),
                config.value(MailParameters.MAIL_BUDGET));
    }

    @Override
    public String toString() {
        return "smtp://" + user.map(u -> u + ":" + Secret.MASK + "@").orElse("") + host + ":" + port + " (" + security
                + ") from " + from + " to " + to;
    }
}

package io.mha4j.notify.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailSettingsTest {
    private static ApplicationConfig.Builder base() {
        return ApplicationConfig.builder("app1").user("mha").password("pw").server("server1", s -> s.hostname("db1"));
    }

    @Test
    void readsEverySettingWithDefaultsAndNeverShowsThePassword() {
        MailSettings s = MailSettings.of(base().set(MailParameters.MAIL_FROM, "mha@x.invalid")
                .set(MailParameters.MAIL_TO, List.of("a@x.invalid"))
                .set(MailParameters.SMTP_USER, "relay")
                .setText(MailParameters.SMTP_PASSWORD, "s3cret")
                .set(MailParameters.SMTP_SECURITY, "starttls")
                .build());
        assertThat(s.host()).isEqualTo("localhost");
        assertThat(s.port()).isEqualTo(25);
        assertThat(s.attempts()).isEqualTo(3);
        assertThat(s.budget()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.password().orElseThrow().reveal()).isEqualTo("s3cret");
        assertThat(s.toString()).contains("relay:xxx@localhost:25 (starttls)").doesNotContain("s3cret");
    }

    @Test
    void withoutSenderOrRecipientsTheErrorNamesTheParameter() {
        assertThatThrownBy(() -> MailSettings.of(base().set(MailParameters.MAIL_TO, List.of("a@x.invalid"))
                        .build()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mail_from");
        assertThatThrownBy(() -> MailSettings.of(
                        base().set(MailParameters.MAIL_FROM, "m@x.invalid").build()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mail_to");
    }
}

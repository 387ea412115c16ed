package io.mha4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigListingTest {

    @Test
    void listsEveryParameterOfEveryServerWithItsOriginAndMasksPasswords() {
        Path file = MhaConfigReaderTest.resource("tutorial/app1.cnf");
        String text = ConfigListing.render(MhaConfigReader.read(file));

        assertThat(text).contains("# application file: " + file);
        assertThat(text).contains("# global file:      /etc/masterha_default.cnf (not found, skipped)");
        long serverParameters = Parameter.all().stream()
                .filter(p -> p.scope() != Parameter.Scope.APPLICATION)
                .count();
        long applicationParameters = Parameter.all().size() - serverParameters;
        assertThat(text.lines().filter(l -> l.matches("^[a-z_]+ += .*")))
                .hasSize((int) (applicationParameters + 3 * serverParameters));
        assertThat(text).containsPattern("(?m)^\\[server2]  10\\.0\\.0\\.52\\(10\\.0\\.0\\.52:3306\\)$");
        assertThat(text).containsPattern("(?m)^password +=  ?xxx +# \\[server default] " + file + ":6$");
        assertThat(text).containsPattern("(?m)^repl_password += xxx +# \\[server default] " + file + ":8$");
        assertThat(text).containsPattern("(?m)^port += 3306 +# \\[server1] " + file + ":13$");
        assertThat(text)
                .containsPattern("(?m)^manager_log += /var/log/mha/app1/manager +# \\[server default] " + file + ":2$");
        assertThat(text).containsPattern("(?m)^ping_type += SELECT +# default$");
        assertThat(text).containsPattern("(?m)^ip += \\(resolved from hostname\\) +# default$");
        assertThat(text).doesNotContainPattern("(?m)= 123 ");
        assertThat(text).doesNotContainPattern("(?m)^password += mha");
    }
}

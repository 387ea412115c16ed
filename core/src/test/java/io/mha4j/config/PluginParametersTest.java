package io.mha4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin's own parameters ({@link TestPluginParameters}, registered in core's test resources)
 * are read, checked, defaulted, masked and listed like core's, with the module that declares them.
 */
class PluginParametersTest {
    @TempDir
    Path dir;

    private Path file(String serverDefault, String server1) throws IOException {
        return Files.writeString(
                dir.resolve("app1.cnf"),
                "[server default]\nuser=mha\n" + serverDefault + "\n[server1]\nhostname=10.0.0.51\n" + server1 + "\n");
    }

    private ApplicationConfig read(Path file) throws IOException {
        return MhaConfigReader.forFile(file)
                .globalFile(Files.writeString(dir.resolve("global.cnf"), ""))
                .read();
    }

    @Test
    void aPluginsParametersAreFoundByNameWithTheirModule() {
        assertThat(Parameter.byName("acme_level")).containsSame(TestPluginParameters.LEVEL);
        assertThat(TestPluginParameters.LEVEL.module()).isEqualTo("acme-mha4j-plugin");
        assertThat(Parameter.all()).contains(TestPluginParameters.LEVEL, TestPluginParameters.TOKEN);
        assertThat(Parameter.HOSTNAME.module()).isEqualTo(Parameter.CORE);
    }

    @Test
    void readCheckedDefaultedAndMaskedLikeCoresOwn() throws IOException {
        ApplicationConfig set = read(file("acme_level=5\nacme_token=s3cret", ""));
        ApplicationConfig unset = read(file("", ""));

        assertThat(set.get(TestPluginParameters.LEVEL)).contains(5);
        assertThat(set.servers().get(0).get(TestPluginParameters.TOKEN))
                .map(Secret::reveal)
                .contains("s3cret");
        assertThat(unset.get(TestPluginParameters.LEVEL)).as("its default").contains(3);
        assertThat(ConfigListing.render(set))
                .containsPattern("(?m)^acme_level += 5 +# \\[server default] .*"
                        + "\\(acme-mha4j-plugin parameter, unknown to MHA\\)$")
                .containsPattern("(?m)^acme_token += xxx ")
                .doesNotContain("s3cret");
        Path bad = file("acme_level=zero", "");
        assertThatThrownBy(() -> read(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(bad + ":3: [server default] acme_level: value 'zero' ");
    }

    @Test
    void aServerParameterOfAPluginIsInheritedAndUnknownNamesAreStillRefused() throws IOException {
        ApplicationConfig config = read(file("acme_token=shared", ""));
        assertThat(config.servers().get(0).get(TestPluginParameters.TOKEN))
                .map(Secret::reveal)
                .contains("shared");

        Path typo = file("acme_levle=5", "");
        assertThatThrownBy(() -> read(typo))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(typo + ":3: [server default] acme_levle")
                .hasMessageContaining("acme_level");
    }
}

package io.mha4j.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IniDocumentTest {
    @TempDir
    Path dir;

    private static final String FILE = """
            # application app1, managed by the DBA team
            [server default]
            user=mha    \s
            password=mha

            # the original master
            [server1]
            hostname=10.0.0.51
            # keep this one a candidate
            candidate_master=1

            # replicas
            [server2]
            hostname=10.0.0.52
            [server3]
            hostname=10.0.0.53
            """;

    @Test
    void rendersExactlyWhatItRead() throws Exception {
        String tutorial = Files.readString(Path.of(
                IniDocumentTest.class.getResource("/config/tutorial/app1.cnf").toURI()));
        assertThat(IniDocument.parse(tutorial, null).text()).isEqualTo(tutorial);
        String crlf = "[server1]\r\nhostname=a  \r\n\r\n; comment\r\nport=3306";
        assertThat(IniDocument.parse(crlf, null).text()).isEqualTo(crlf);
    }

    @Test
    void parsesSectionsAndTrimmedEntriesWithTheirLines() {
        IniDocument doc = IniDocument.parse(FILE, null);
        assertThat(doc.sections())
                .extracting(IniDocument.Section::name)
                .containsExactly("server default", "server1", "server2", "server3");
        assertThat(doc.section("server default").orElseThrow().entry("user"))
                .contains(new IniDocument.Entry("user", "mha", 3));
        assertThat(doc.section("server1").orElseThrow().entries())
                .extracting(IniDocument.Entry::line)
                .containsExactly(8, 10);
    }

    @Test
    void removingABlockLeavesEveryOtherLineAsItWas() {
        IniDocument doc = IniDocument.parse(FILE, null).withoutSection("server1");
        assertThat(doc.text()).isEqualTo("""
                # application app1, managed by the DBA team
                [server default]
                user=mha    \s
                password=mha

                # the original master
                # replicas
                [server2]
                hostname=10.0.0.52
                [server3]
                hostname=10.0.0.53
                """);
        assertThat(doc.section("server1")).isEmpty();
        assertThat(doc.section("server2").orElseThrow().line()).isEqualTo(8);
    }

    @Test
    void removingTheLastBlockKeepsTheRest() {
        String text = IniDocument.parse(FILE, null).withoutSection("server3").text();
        assertThat(text).isEqualTo(FILE.replace("[server3]\nhostname=10.0.0.53\n", ""));
    }

    @Test
    void addingABlockAppendsItAfterABlankLine() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("hostname", "10.0.0.54");
        entries.put("port", "3307");
        String text =
                IniDocument.parse(FILE, null).withSection("server4", entries).text();
        assertThat(text).isEqualTo(FILE + "\n[server4]\nhostname=10.0.0.54\nport=3307\n");
    }

    @Test
    void addingABlockToACrlfFileWithoutFinalNewlineKeepsCrlf() {
        String text = IniDocument.parse("[server1]\r\nhostname=a", null)
                .withSection("server2", Map.of("hostname", "b"))
                .text();
        assertThat(text).isEqualTo("[server1]\r\nhostname=a\r\n\r\n[server2]\r\nhostname=b\r\n");
    }

    @Test
    void anExistingBlockCannotBeAddedTwice() {
        IniDocument doc = IniDocument.parse(FILE, null);
        assertThatThrownBy(() -> doc.withSection("server2", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("section [server2] already exists");
        assertThatThrownBy(() -> doc.withoutSection("server9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no section [server9]");
    }

    @Test
    void settingAValueReplacesItsLineOrAddsOneAfterTheBlock() {
        IniDocument doc = IniDocument.parse(FILE, null)
                .withEntry("server2", "hostname", "10.0.0.62")
                .withEntry("server2", "port", "3307");
        assertThat(doc.text()).isEqualTo(FILE.replace("hostname=10.0.0.52\n", "hostname=10.0.0.62\nport=3307\n"));
        assertThat(doc.withoutEntry("server2", "port")
                        .withEntry("server2", "hostname", "10.0.0.52")
                        .text())
                .isEqualTo(FILE);
    }

    @Test
    void writesAtomicallyAndKeepsPermissions() throws Exception {
        Path file = Files.writeString(dir.resolve("app1.cnf"), FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        IniDocument.read(file).withoutSection("server3").write(file);
        assertThat(Files.readString(file)).isEqualTo(FILE.replace("[server3]\nhostname=10.0.0.53\n", ""));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r-----");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}

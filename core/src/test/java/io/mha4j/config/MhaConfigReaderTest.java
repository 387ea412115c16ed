package io.mha4j.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MhaConfigReaderTest {
    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(
                    MhaConfigReaderTest.class.getResource("/config/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private ApplicationConfig readWithoutGlobal(Path file) {
        return MhaConfigReader.forFile(file).globalFile(emptyGlobal()).read();
    }

    private Path emptyGlobal() {
        try {
            return Files.writeString(dir.resolve("empty_default.cnf"), "");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTheSeedFileWithItsTrailingSpaces() {
        Path file = resource("tutorial/app1.cnf");
        ApplicationConfig config = readWithoutGlobal(file);

        assertThat(config.name()).isEqualTo("app1");
        assertThat(config.servers()).extracting(ServerConfig::block).containsExactly("server1", "server2", "server3");
        assertThat(config.servers())
                .extracting(ServerConfig::hostname)
                .containsExactly("10.0.0.51", "10.0.0.52", "10.0.0.53");
        assertThat(config.managerLog()).contains(Path.of("/var/log/mha/app1/manager"));
        assertThat(config.managerWorkdir()).isEqualTo(Path.of("/var/log/mha/app1"));
        assertThat(config.pingInterval()).hasSeconds(2);
        assertThat(config.pingType()).isEqualTo(PingType.SELECT);
        ServerConfig s1 = config.servers().get(0);
        assertThat(s1.user()).isEqualTo("mha");
        assertThat(s1.password().reveal()).isEqualTo("mha");
        assertThat(s1.replUser()).contains("repl");
        assertThat(s1.replPassword()).map(Secret::reveal).contains("123");
        assertThat(s1.sshUser()).isEqualTo("root");
        assertThat(s1.port()).isEqualTo(3306);
        assertThat(s1.masterBinlogDirs()).containsExactly("/data/binlog");
        assertThat(s1.origin(Parameter.PORT)).isEqualTo(Origin.inFile(Origin.Kind.SERVER_BLOCK, file, 13, "server1"));
        assertThat(s1.origin(Parameter.PASSWORD))
                .isEqualTo(Origin.inFile(Origin.Kind.SERVER_DEFAULT, file, 6, "server default"));
        assertThat(s1.origin(Parameter.SSH_PORT)).isEqualTo(Origin.BUILT_IN);
        assertThat(s1.sshPort()).isEqualTo(22);
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void aMissingDefaultGlobalFileIsAWarningAsInMha() {
        ApplicationConfig config = MhaConfigReader.read(resource("tutorial/app1.cnf"));
        assertThat(config.files())
                .hasValueSatisfying(f -> assertThat(f.globalFileRead()).isFalse());
        assertThat(config.warnings())
                .containsExactly("Global configuration file /etc/masterha_default.cnf not found. Skipping.");
    }

    @Test
    void readsMhaSampleFilesWithGlobalDefaults() {
        ApplicationConfig config = MhaConfigReader.forFile(resource("mha-samples/app1.cnf"))
                .globalFile(resource("mha-samples/masterha_default.cnf"))
                .read();

        assertThat(config.servers())
                .extracting(ServerConfig::hostname)
                .containsExactly("host1", "host2", "host3", "host4");
        assertThat(config.servers())
                .extracting(ServerConfig::candidateMaster)
                .containsExactly(true, true, false, false);
        assertThat(config.servers()).extracting(ServerConfig::noMaster).containsExactly(false, false, false, true);
        ServerConfig host3 = config.server("server3").orElseThrow();
        assertThat(host3.user()).isEqualTo("root");
        assertThat(host3.password().reveal()).isEqualTo("rootpass");
        assertThat(host3.masterBinlogDirs()).containsExactly("/var/lib/mysql", "/var/log/mysql");
        assertThat(host3.remoteWorkdir()).isEqualTo("/data/log/masterha");
        assertThat(host3.origin(Parameter.USER).kind()).isEqualTo(Origin.Kind.GLOBAL_FILE);
        assertThat(config.secondaryCheckScript()).contains("masterha_secondary_check -s remote_host1 -s remote_host2");
        assertThat(config.pingInterval()).hasSeconds(3);
        assertThat(config.origin(Parameter.MANAGER_WORKDIR).kind()).isEqualTo(Origin.Kind.SERVER_DEFAULT);
        assertThat(config.masterIpFailoverScript()).isEmpty();
    }

    @Test
    void precedenceIsBuiltinThenGlobalThenServerDefaultThenBlock() throws Exception {
        Path global = Files.writeString(dir.resolve("global.cnf"), """
                [server default]
                port=3307
                ssh_port=2201
                user=global_user
                """);
        Path app = Files.writeString(dir.resolve("app.cnf"), """
                [server default]
                port=3308
                [server1]
                hostname=a
                port=3309
                [server2]
                hostname=b
                """);
        ApplicationConfig config =
                MhaConfigReader.forFile(app).globalFile(global).read();
        ServerConfig a = config.server("server1").orElseThrow();
        ServerConfig b = config.server("server2").orElseThrow();

        assertThat(a.port()).isEqualTo(3309);
        assertThat(b.port()).isEqualTo(3308);
        assertThat(b.origin(Parameter.PORT))
                .isEqualTo(Origin.inFile(Origin.Kind.SERVER_DEFAULT, app, 2, "server default"));
        assertThat(b.sshPort()).isEqualTo(2201);
        assertThat(b.origin(Parameter.SSH_PORT).kind()).isEqualTo(Origin.Kind.GLOBAL_FILE);
        assertThat(b.user()).isEqualTo("global_user");
        assertThat(b.remoteWorkdir()).isEqualTo("/var/tmp");
        assertThat(b.origin(Parameter.REMOTE_WORKDIR)).isEqualTo(Origin.BUILT_IN);
    }

    @Test
    void serverOnlyParametersInServerDefaultAreIgnoredWithAWarningAsMhaIgnoresThem() throws Exception {
        Path app = Files.writeString(dir.resolve("app.cnf"), """
                [server default]
                no_master=1
                [server1]
                hostname=a
                """);
        ApplicationConfig config = readWithoutGlobal(app);
        assertThat(config.servers().get(0).noMaster()).isFalse();
        assertThat(config.warnings())
                .containsExactly(app
                        + ":2: [server default] no_master ignored: it only takes effect in a server block, as in MHA");
    }

    @Test
    void applicationParametersInAServerBlockAreIgnoredWithAWarning() {
        ApplicationConfig config = readWithoutGlobal(resource("tutorial/app1-full.cnf"));
        assertThat(config.reportScript()).isEmpty();
        assertThat(config.warnings())
                .singleElement()
                .asString()
                .endsWith("app1-full.cnf:26: [binlog1] report_script ignored: it applies to the whole application;"
                        + " set it in [server default]");
        assertThat(config.masterIpFailoverScript()).contains("/usr/local/bin/master_ip_failover");
        assertThat(config.binlogServers()).singleElement().satisfies(b -> {
            assertThat(b.kind()).isEqualTo(ServerConfig.Kind.BINLOG_SERVER);
            assertThat(b.hostname()).isEqualTo("10.0.0.53");
            assertThat(b.noMaster()).isTrue();
            assertThat(b.masterBinlogDirs()).containsExactly("/data/mysql/binlog");
            assertThat(b.user()).isEqualTo("mha");
        });
        assertThat(config.servers()).hasSize(3);
    }

    @Test
    void serversComeInMhaOrderNumericWhenEveryBlockHasANumber() throws Exception {
        Path app = Files.writeString(dir.resolve("app.cnf"), """
                [server10]
                hostname=j
                [server2]
                hostname=b
                [server_1]
                hostname=a
                """);
        assertThat(readWithoutGlobal(app).servers())
                .extracting(ServerConfig::block)
                .containsExactly("server_1", "server2", "server10");
    }

    @Test
    void serversComeInNameOrderWhenSomeBlockHasNoNumber() throws Exception {
        Path app = Files.writeString(dir.resolve("app.cnf"), """
                [server_db_b]
                hostname=b
                [server10]
                hostname=j
                [server_db_a]
                hostname=a
                """);
        assertThat(readWithoutGlobal(app).servers())
                .extracting(ServerConfig::block)
                .containsExactly("server10", "server_db_a", "server_db_b");
    }

    @Test
    void stripsQuotesInlineCommentsAndCaseAsMhaDoes() throws Exception {
        Path app = Files.writeString(dir.resolve("app.cnf"), """
                [server default]
                password="p a s s"
                ssh_options="-o 'ConnectTimeout=3'"
                ping_type=insert
                manager_workdir=/var/tmp/mha ; the status files
                master_binlog_dir = /a , /b
                [server1]
                hostname='db1'
                """);
        ApplicationConfig config = readWithoutGlobal(app);
        ServerConfig s = config.servers().get(0);
        assertThat(s.password().reveal()).isEqualTo("p a s s");
        assertThat(s.sshOptions()).contains("-o ConnectTimeout=3");
        assertThat(s.hostname()).isEqualTo("db1");
        assertThat(s.masterBinlogDirs()).containsExactly("/a", "/b");
        assertThat(config.pingType()).isEqualTo(PingType.INSERT);
        assertThat(config.managerWorkdir()).isEqualTo(Path.of("/var/tmp/mha"));
    }

    @Test
    void readsCrlfFiles() throws Exception {
        Path app =
                Files.writeString(dir.resolve("app.cnf"), "[server default]\r\nuser=u\r\n[server1]\r\nhostname=h\r\n");
        ServerConfig s = readWithoutGlobal(app).servers().get(0);
        assertThat(s.user()).isEqualTo("u");
        assertThat(s.hostname()).isEqualTo("h");
    }

    @Test
    void applicationNameIsTheBaseNameWithoutExtension() {
        assertThat(MhaConfigReader.applicationName(Path.of("/etc/mha/app1.cnf")))
                .isEqualTo("app1");
        assertThat(MhaConfigReader.applicationName(Path.of("/etc/mha/app1"))).isEqualTo("app1");
        assertThat(MhaConfigReader.applicationName(Path.of("/etc/mha/shop.db.cnf")))
                .isEqualTo("shop.db");
    }

    @Test
    void initConfLoadScriptSuppliesDefaultsOverTheFile() throws Exception {
        Path script = Files.writeString(dir.resolve("secrets.sh"), """
                #!/bin/sh
                echo "password=from=script"
                echo ""
                echo "repl_password=r3pl"
                """);
        script.toFile().setExecutable(true);
        Path app = Files.writeString(dir.resolve("app.cnf"), """
                [server default]
                password=in_file
                init_conf_load_script=%s
                [server1]
                hostname=h
                """.formatted(script));
        ServerConfig s = readWithoutGlobal(app).servers().get(0);
        assertThat(s.password().reveal()).isEqualTo("from=script");
        assertThat(s.replPassword()).map(Secret::reveal).contains("r3pl");
        assertThat(s.origin(Parameter.PASSWORD).kind()).isEqualTo(Origin.Kind.INIT_CONF_LOAD_SCRIPT);
    }

    @Test
    void valuesFromCodeAndFromFileBuildEqualServers() throws Exception {
        Path app = Files.writeString(dir.resolve("app1.cnf"), """
                [server default]
                user=mha
                [server1]
                hostname=10.0.0.51
                candidate_master=1
                """);
        ApplicationConfig fromFile = readWithoutGlobal(app);
        ApplicationConfig inCode = ApplicationConfig.builder("app1")
                .user("mha")
                .server("server1", s -> s.hostname("10.0.0.51").candidateMaster(true))
                .build();
        List<Parameter<?>> all = Parameter.all();
        ServerConfig a = fromFile.servers().get(0);
        ServerConfig b = inCode.servers().get(0);
        for (Parameter<?> p : all) {
            assertThat(a.get(p)).as(p.name()).isEqualTo(b.get(p));
        }
        for (Parameter<?> p : all) {
            assertThat(fromFile.get(p)).as(p.name()).isEqualTo(inCode.get(p));
        }
    }
}

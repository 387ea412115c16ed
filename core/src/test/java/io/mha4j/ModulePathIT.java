package io.mha4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's jar as a module, the way a modular application uses it: built jar and its dependencies on
 * the module path, a consumer module compiled against it and run in its own JVM. The internal
 * packages must be out of reach, the plugins found through the descriptor's {@code provides}, and
 * Connector/J (an automatic module core does not name) loaded for a real connection attempt.
 */
class ModulePathIT {
    @TempDir
    static Path dir;

    private static Path coreJar;
    private static List<Path> dependencies;

    @BeforeAll
    static void locateJars() throws IOException {
        try (Stream<Path> built = Files.list(Path.of("target"))) {
            coreJar = built.filter(p -> p.getFileName().toString().matches("mha4j-core-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no mha4j-core jar in target/: run mvn verify"));
        }
        dependencies = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> {
                    String name = p.getFileName().toString();
                    return name.startsWith("slf4j-api-")
                            || name.startsWith("jackson-core-")
                            || name.startsWith("jackson-databind-")
                            || name.startsWith("jackson-annotations-")
                            || name.startsWith("mysql-connector-j-");
                })
                .toList();
        assertThat(dependencies).hasSize(5);
    }

    @Test
    void theDescriptorExportsTheApiAndNoInternalPackage() throws IOException {
        ModuleDescriptor descriptor;
        Map<String, List<String>> services = new TreeMap<>();
        try (JarFile jar = new JarFile(coreJar.toFile())) {
            descriptor = ModuleDescriptor.read(jar.getInputStream(jar.getEntry("module-info.class")));
            for (JarEntry e : Collections.list(jar.entries())) {
                if (e.getName().startsWith("META-INF/services/") && !e.isDirectory()) {
                    String text = new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
                    services.put(
                            e.getName().substring("META-INF/services/".length()),
                            text.lines()
                                    .map(String::strip)
                                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                                    .sorted()
                                    .toList());
                }
            }
        }
        Map<String, List<String>> provided = new TreeMap<>();
        descriptor
                .provides()
                .forEach(p -> provided.put(
                        p.service(), p.providers().stream().sorted().toList()));
        assertThat(provided)
                .as(
                        "the descriptor provides what META-INF/services lists (the class path reads the one, the module path the other)")
                .isEqualTo(services);
        assertThat(descriptor.name()).isEqualTo("io.mha4j.core");
        List<String> exported = descriptor.exports().stream()
                .map(ModuleDescriptor.Exports::source)
                .toList();
        assertThat(exported).contains("io.mha4j", "io.mha4j.spi", "io.mha4j.config", "io.mha4j.failover");
        assertThat(exported).noneMatch(p -> p.contains(".internal"));
        List<String> api = descriptor.packages().stream()
                .filter(p -> !p.contains(".internal"))
                .toList();
        assertThat(exported).as("every package outside internal is API").containsExactlyInAnyOrderElementsOf(api);
    }

    @Test
    void aConsumerModuleCannotCompileAgainstAnInternalPackage() throws IOException {
        Path src = consumer("internal", "io.mha4j.internal.sql.JdbcSqlSession.class.getName();");
        Compiled c = compile(src, dir.resolve("internal-out"));
        assertThat(c.ok()).as(c.output()).isFalse();
        assertThat(c.output()).contains("package io.mha4j.internal.sql is not visible");
    }

    @Test
    void aConsumerModuleFindsThePluginsAndConnectsThroughConnectorJ() throws Exception {
        Path src = consumer("api", """
                for (io.mha4j.spi.MasterElectorProvider p
                        : java.util.ServiceLoader.load(io.mha4j.spi.MasterElectorProvider.class)) {
                    System.out.println("elector " + p.name());
                }
                io.mha4j.config.ApplicationConfig config = io.mha4j.config.ApplicationConfig.builder("app1")
                        .user("mha").password("pw")
                        .set(io.mha4j.config.Parameter.REMOTE_SHELL, "local")
                        .server("server1", s -> s.hostname("127.0.0.1").port(Integer.parseInt(args[0])))
                        .build();
                try (io.mha4j.remote.RemoteShells shells = io.mha4j.remote.RemoteShells.forApplication(config)) {
                    new io.mha4j.check.ReplicationCheck(config, shells, java.time.Clock.systemUTC())
                            .skipSshCheck(true).run().findings()
                            .forEach(f -> System.out.println("finding " + f));
                }
                """);
        Path out = dir.resolve("api-out");
        Compiled c = compile(src, out);
        assertThat(c.ok()).as(c.output()).isTrue();

        int refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java, "--module-path", modulePath(out), "-m", "consumer/consumer.Main", String.valueOf(refused))
                .redirectErrorStream(true)
                .start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(printed).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(printed).contains("elector mha");
        assertThat(printed)
                .as("the check reached the JDBC driver and named the refused server")
                .contains("finding [error]", "127.0.0.1:" + refused + "): connect failed: connection refused")
                .doesNotContain("is not on the class or module path");
    }

    /** A module {@code consumer} requiring core, whose main runs {@code body}. */
    private static Path consumer(String name, String body) throws IOException {
        Path src = dir.resolve(name + "-src");
        Files.createDirectories(src.resolve("consumer"));
        Files.writeString(
                src.resolve("module-info.java"),
                "module consumer { requires io.mha4j.core; uses io.mha4j.spi.MasterElectorProvider; }");
        Files.writeString(
                src.resolve("consumer/Main.java"),
                "package consumer;\npublic class Main {\n public static void main(String[] args) throws Exception {\n"
                        + body + "\n }\n}\n");
        return src;
    }

    private record Compiled(boolean ok, String output) {}

    private static Compiled compile(Path src, Path out) throws IOException {
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() -> new AssertionError("no javac: a JRE?"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--module-path", modulePath(null)));
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        StringWriter printed = new StringWriter();
        PrintWriter to = new PrintWriter(printed);
        int rc = javac.run(to, to, args.toArray(String[]::new));
        to.flush();
        return new Compiled(rc == 0, printed.toString());
    }

    private static String modulePath(Path consumerClasses) {
        Stream<Path> jars = Stream.concat(Stream.of(coreJar), dependencies.stream());
        if (consumerClasses != null) {
            jars = Stream.concat(jars, Stream.of(consumerClasses));
        }
        return jars.map(p -> {
                    try {
                        return p.toRealPath().toString();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .collect(Collectors.joining(File.pathSeparator));
    }
}

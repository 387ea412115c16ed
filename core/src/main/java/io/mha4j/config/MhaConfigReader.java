package io.mha4j.config;

import io.mha4j.internal.config.IniDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads MHA's configuration files unchanged: the application file ({@code --conf}) and the
 * global default file ({@code --global_conf}, {@code /etc/masterha_default.cnf} by default).
 *
 * <p>Precedence as MHA 0.58: built-in default &lt; global file's {@code [server default]}
 * &lt; the application's {@code [server default]} &lt; {@code init_conf_load_script}'s output
 * &lt; the server's own block. Servers come in MHA's order: by the number in their block
 * name when every block has one ({@code server2} before {@code server10}), otherwise by
 * name. Every problem is a {@link ConfigException} naming file, line and parameter.
 */
public final class MhaConfigReader {
    /** MHA's global file when {@code --global_conf} is not given. */
    public static final Path DEFAULT_GLOBAL_FILE = Path.of("/etc/masterha_default.cnf");

    static final String SERVER_DEFAULT = "server default";
    private static final Pattern SERVER_BLOCK = Pattern.compile("^server\\S+");
    private static final Pattern BINLOG_BLOCK = Pattern.compile("^binlog\\S+");
    private static final Pattern BLOCK_NUMBER = Pattern.compile("^server\\D*(\\d+)");
    private static final Pattern QUOTED = Pattern.compile("^['\"]?(.*)['\"]$", Pattern.DOTALL);

    private final Path applicationFile;
    private Path globalFile = DEFAULT_GLOBAL_FILE;
    private boolean globalFileRequired;
    private Duration initScriptTimeout = Duration.ofSeconds(30);

    private MhaConfigReader(Path applicationFile) {
        this.applicationFile = applicationFile;
    }

    public static MhaConfigReader forFile(Path applicationFile) {
        return new MhaConfigReader(applicationFile);
    }

    /**
     * Uses this global file. A global file named explicitly must be readable; the default one
     * may be missing (a warning, as in MHA).
     */
    public MhaConfigReader globalFile(Path file) {
        this.globalFile = file;
        this.globalFileRequired = true;
        return this;
    }

    public MhaConfigReader initScriptTimeout(Duration timeout) {
        this.initScriptTimeout = timeout;
        return this;
    }

    /** Shorthand for {@code forFile(file).read()}. */
    public static ApplicationConfig read(Path applicationFile) {
        return forFile(applicationFile).read();
    }

    /** The warning for a default global file that does not exist, worded as MHA's. */
    public static String globalFileMissing(Path globalFile) {
        return "Global configuration file " + globalFile + " not found. Skipping.";
    }

    /** MHA's application name: the file's base name without its extension ({@code app1}). */
    public static String applicationName(Path file) {
        String base = file.getFileName().toString();
        int dot = base.lastIndexOf('.');
        String name = dot > 0 ? base.substring(0, dot) : base;
        return name.isEmpty() ? base : name;
    }

    /**
     * Reads and validates both files.
     *
     * @throws ConfigException for the first problem found
     */
    public ApplicationConfig read() {
        ApplicationConfig.Builder app = ApplicationConfig.builder(applicationName(applicationFile));
        boolean globalRead = readGlobalFile(app);
        app.files(new ApplicationConfig.ConfigFiles(applicationFile, globalFile, globalRead));

        IniDocument doc = IniDocument.read(applicationFile);
        checkBlockNames(doc);
        doc.section(SERVER_DEFAULT).ifPresent(s -> readDefaults(app, s, Origin.Kind.SERVER_DEFAULT, applicationFile));
        runInitConfLoadScript(app);
        for (IniDocument.Section block : inMhaOrder(doc.sections())) {
            app.server(readBlock(app, block));
        }
        return app.build();
    }

    private boolean readGlobalFile(ApplicationConfig.Builder app) {
        if (!globalFileRequired && !Files.exists(globalFile)) {
            app.warning(globalFileMissing(globalFile));
            return false;
        }
        IniDocument global = IniDocument.read(globalFile);
        for (IniDocument.Section s : global.sections()) {
            if (s.name().equals(SERVER_DEFAULT)) {
                readDefaults(app, s, Origin.Kind.GLOBAL_FILE, globalFile);
            } else {
                app.warning(globalFile + ":" + s.line() + ": section [" + s.name()
                        + "] ignored: the global file only provides [server default], as in MHA");
            }
        }
        return true;
    }

    private void checkBlockNames(IniDocument doc) {
        for (IniDocument.Section s : doc.sections()) {
            if (!s.name().equals(SERVER_DEFAULT)
                    && !SERVER_BLOCK.matcher(s.name()).matches()
                    && !BINLOG_BLOCK.matcher(s.name()).matches()) {
                throw ConfigException.at(
                        applicationFile,
                        s.line(),
                        s.name(),
                        null,
                        "block name is invalid: it must be [server default], or start with 'server' or 'binlog'"
                                + " followed by non-space characters, such as [server1] or [binlog1]");
            }
        }
    }

    private void readDefaults(ApplicationConfig.Builder app, IniDocument.Section section, Origin.Kind kind, Path file) {
        for (IniDocument.Entry e : section.entries()) {
            Parameter<?> p = known(e, section, file);
            if (p.scope() == Parameter.Scope.SERVER) {
                app.warning(file + ":" + e.line() + ": [" + section.name() + "] " + p
                        + " ignored: it only takes effect in a server block, as in MHA");
                continue;
            }
            Origin origin = Origin.inFile(kind, file, e.line(), section.name());
            try {
                app.setParsed(p, unquote(p, e.value()), origin);
            } catch (IllegalArgumentException bad) {
                throw ConfigException.at(origin, section.name(), p.name(), bad.getMessage());
            }
        }
    }

    private ServerConfig.Builder readBlock(ApplicationConfig.Builder app, IniDocument.Section section) {
        ServerConfig.Builder b = BINLOG_BLOCK.matcher(section.name()).matches()
                ? ServerConfig.binlogServerBuilder(section.name())
                : ServerConfig.builder(section.name());
        b.declaredAt(Origin.inFile(Origin.Kind.SERVER_BLOCK, applicationFile, section.line(), section.name()));
        for (IniDocument.Entry e : section.entries()) {
            Parameter<?> p = known(e, section, applicationFile);
            if (p.scope() == Parameter.Scope.APPLICATION) {
                // MHA would read it from whichever server happens to be the master; a value that
                // changes meaning with the topology is worse than one ignored with a warning.
                app.warning(applicationFile + ":" + e.line() + ": [" + section.name() + "] " + p
                        + " ignored: it applies to the whole application; set it in [server default]");
                continue;
            }
            Origin origin = Origin.inFile(Origin.Kind.SERVER_BLOCK, applicationFile, e.line(), section.name());
            try {
                b.setParsed(p, unquote(p, e.value()), origin);
            } catch (IllegalArgumentException bad) {
                throw ConfigException.at(origin, section.name(), p.name(), bad.getMessage());
            }
        }
        return b;
    }

    private Parameter<?> known(IniDocument.Entry e, IniDocument.Section section, Path file) {
        return Parameter.byName(e.key())
                .orElseThrow(() -> ConfigException.at(
                        file,
                        e.line(),
                        section.name(),
                        e.key(),
                        "unknown parameter" + ParameterNames.suggestionFor(e.key())));
    }

    private void runInitConfLoadScript(ApplicationConfig.Builder app) {
        Optional<String> script = app.peek(Parameter.INIT_CONF_LOAD_SCRIPT);
        if (script.isEmpty()) {
            return;
        }
        List<InitConfLoadScript.Line> lines = new InitConfLoadScript(script.get(), initScriptTimeout).run();
        for (InitConfLoadScript.Line line : lines) {
            Parameter<?> p = Parameter.byName(line.name())
                    .orElseThrow(() -> ConfigException.inCode(
                            SERVER_DEFAULT,
                            line.name(),
                            "unknown parameter printed by init_conf_load_script " + script.get() + " (output line "
                                    + line.number() + ")"));
            if (p.scope() == Parameter.Scope.SERVER) {
                app.warning("init_conf_load_script output line " + line.number() + ": " + p
                        + " ignored: it only takes effect in a server block");
                continue;
            }
            try {
                app.setParsed(
                        p,
                        unquote(p, line.value()),
                        new Origin(Origin.Kind.INIT_CONF_LOAD_SCRIPT, null, 0, SERVER_DEFAULT));
            } catch (IllegalArgumentException bad) {
                throw ConfigException.inCode(
                        SERVER_DEFAULT,
                        p.name(),
                        bad.getMessage() + " (printed by init_conf_load_script " + script.get() + ", line "
                                + line.number() + ")");
            }
        }
    }

    /** MHA strips one pair of quotes around values, and every quote from ssh_options. */
    static String unquote(Parameter<?> p, String value) {
        if (p == Parameter.SSH_OPTIONS) {
            return value.replaceAll("['\"]", "");
        }
        Matcher m = QUOTED.matcher(value);
        return m.matches() ? m.group(1) : value;
    }

    private static List<IniDocument.Section> inMhaOrder(List<IniDocument.Section> sections) {
        List<IniDocument.Section> servers = new ArrayList<>();
        List<IniDocument.Section> binlogs = new ArrayList<>();
        for (IniDocument.Section s : sections) {
            if (SERVER_BLOCK.matcher(s.name()).matches() && !s.name().equals(SERVER_DEFAULT)) {
                servers.add(s);
            } else if (BINLOG_BLOCK.matcher(s.name()).matches()) {
                binlogs.add(s);
            }
        }
        Comparator<IniDocument.Section> byName = Comparator.comparing(IniDocument.Section::name);
        servers.sort(byName);
        binlogs.sort(byName);
        if (servers.stream().allMatch(s -> blockNumber(s).isPresent())) {
            servers.sort(Comparator.comparingInt(s -> blockNumber(s).getAsInt()));
        }
        List<IniDocument.Section> ordered = new ArrayList<>(servers);
        ordered.addAll(binlogs);
        return ordered;
    }

    private static OptionalInt blockNumber(IniDocument.Section s) {
        Matcher m = BLOCK_NUMBER.matcher(s.name());
        if (!m.find()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(m.group(1)));
        } catch (NumberFormatException tooBig) {
            return OptionalInt.empty();
        }
    }
}

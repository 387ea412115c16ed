package io.mha4j.config;

import java.util.List;

/**
 * The effective configuration as text for people ({@code show_conf}): every server, every
 * parameter, its value and where it came from. Passwords print as {@code xxx}.
 */
public final class ConfigListing {
    private static final int NAME_WIDTH =
            Parameter.all().stream().mapToInt(p -> p.name().length()).max().orElse(30);
    private static final int VALUE_WIDTH = 34;

    private ConfigListing() {}

    public static String render(ApplicationConfig config) {
        StringBuilder out = new StringBuilder();
        out.append("# Effective configuration of application ")
                .append(config.name())
                .append('\n');
        config.files().ifPresent(f -> {
            out.append("# application file: ").append(f.applicationFile()).append('\n');
            out.append("# global file:      ")
                    .append(f.globalFile())
                    .append(f.globalFileRead() ? "" : " (not found, skipped)")
                    .append('\n');
        });
        String missingGlobal = config.files()
                .map(f -> MhaConfigReader.globalFileMissing(f.globalFile()))
                .orElse("");
        for (String warning : config.warnings()) {
            if (!warning.equals(missingGlobal)) {
                out.append("# warning: ").append(warning).append('\n');
            }
        }
        out.append("\n[application]  (set in [server default] or the global file)\n");
        for (Parameter<?> p : Parameter.all()) {
            if (p.scope() == Parameter.Scope.APPLICATION) {
                line(out, p, config.get(p).orElse(null), config.origin(p));
            }
        }
        renderServers(out, config.servers());
        renderServers(out, config.binlogServers());
        return out.toString();
    }

    private static void renderServers(StringBuilder out, List<ServerConfig> servers) {
        for (ServerConfig s : servers) {
            out.append("\n[")
                    .append(s.block())
                    .append("]  ")
                    .append(s.kind() == ServerConfig.Kind.BINLOG_SERVER ? "binlog server " : "")
                    .append(s.displayName())
                    .append('\n');
            for (Parameter<?> p : Parameter.all()) {
                if (p.scope() != Parameter.Scope.APPLICATION) {
                    line(out, p, s.get(p).orElse(null), s.origin(p));
                }
            }
        }
    }

    private static void line(StringBuilder out, Parameter<?> p, Object value, Origin origin) {
        String text;
        String from;
        if (value != null) {
            text = p.display(value);
            from = origin.describe();
        } else {
            text = p.defaultNote().map(n -> "(" + n + ")").orElse("(not set)");
            from = "default";
        }
        out.append(pad(p.name(), NAME_WIDTH))
                .append(" = ")
                .append(pad(text, VALUE_WIDTH))
                .append("  # ")
                .append(from)
                .append(
                        p.isMhaParameter()
                                ? ""
                                : p.module().equals(Parameter.CORE)
                                        ? " (mha4j parameter, unknown to MHA)"
                                        : " (" + p.module() + " parameter, unknown to MHA)")
                .append('\n');
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}

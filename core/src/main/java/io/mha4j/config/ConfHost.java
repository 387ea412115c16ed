package io.mha4j.config;

import io.mha4j.internal.config.IniDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MHA's {@code masterha_conf_host}: adds a server block to an application file or deletes one,
 * leaving every other line — comments, order, spacing, line endings — as it was (MHA rewrites
 * the whole file and loses its comments).
 */
public final class ConfHost {
    private ConfHost() {}

    /**
     * MHA's block naming: {@code --block=100} is {@code server100}, {@code --block=server7} stays,
     * and without {@code --block} the block is {@code server_<hostname>}.
     *
     * @throws ConfigException when neither is given
     */
    public static String blockName(Optional<String> block, Optional<String> hostname) {
        if (block.isPresent()) {
            return block.get().startsWith("server") ? block.get() : "server" + block.get();
        }
        return hostname.map(h -> "server_" + h)
                .orElseThrow(() ->
                        ConfigException.inCode(null, "block", "--block=<block_name> or --hostname=<host> must be set"));
    }

    /**
     * Appends {@code [block]} with {@code hostname=} and {@code params} ({@code key=value}, in
     * order), each checked as the reader would check it.
     *
     * @return MHA's message, {@code Wrote server_db101 entry to /etc/mha/app1.cnf .}; when the block
     *     is there already with these values (the manager put a rejoined server's block back), a
     *     message saying so, and the file is unchanged
     * @throws ConfigException naming the file and the parameter: the block exists, a parameter is
     *     unknown or not allowed in a server block, or a value is invalid; the file is unchanged
     */
    public static String add(Path file, String block, String hostname, List<String> params) {
        IniDocument doc = read(file);
        Map<String, String> entries = entries(block, hostname, params, file);
        Optional<IniDocument.Section> existing = doc.section(block);
        if (existing.isPresent()
                && entries.entrySet().stream()
                        .allMatch(e -> existing.get()
                                .entry(e.getKey())
                                .map(IniDocument.Entry::value)
                                .filter(e.getValue()::equals)
                                .isPresent())) {
            // The manager puts a rejoined server's block back itself; the runbook's add then has nothing to do.
            return "Entry " + block + " is already in " + file + " with these values; nothing to write.";
        }
        if (existing.isPresent()) {
            throw ConfigException.at(
                    file,
                    existing.get().line(),
                    block,
                    null,
                    "entry " + block + " already exists; delete it first or choose another --block");
        }
        doc.withSection(block, entries).write(file);
        return "Wrote " + block + " entry to " + file + " .";
    }

    /** {@code hostname=} and {@code params}, each checked as the reader would check it. */
    private static Map<String, String> entries(String block, String hostname, List<String> params, Path file) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("hostname", Parameter.HOSTNAME.parse(hostname));
        for (String param : params) {
            int eq = param.indexOf('=');
            String key = (eq < 0 ? param : param.substring(0, eq)).trim();
            Parameter<?> p = Parameter.byName(key)
                    .orElseThrow(() ->
                            ConfigException.inCode(block, key, "unknown parameter (in --params of " + file + ")"));
            if (p.scope() == Parameter.Scope.APPLICATION) {
                throw ConfigException.inCode(block, key, "belongs in [server default], not in a server block");
            }
            if (eq < 0) {
                throw ConfigException.inCode(block, key, "has no value: write " + key + "=<value>");
            }
            String value = param.substring(eq + 1).trim();
            try {
                p.parse(value);
            } catch (IllegalArgumentException e) {
                throw ConfigException.inCode(block, key, e.getMessage());
            }
            entries.put(key, value);
        }
        return entries;
    }

    /**
     * Puts {@code server}'s block back with the parameters set in it, in their order, unless the
     * file has a block of that name: what the guard does when a server that
     * {@code --remove_dead_master_conf} removed replicates from the master again.
     *
     * @return whether the file was changed
     */
    public static boolean restore(Path file, ServerConfig server) {
        IniDocument doc = read(file);
        if (doc.section(server.block()).isPresent()) {
            return false;
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (Setting<?> s : server.own().explicitSettings()) {
            entries.put(s.parameter().name(), s.parameter().format(s.value()));
        }
        doc.withSection(server.block(), entries).write(file);
        return true;
    }

    /**
     * Deletes {@code [block]}: its lines and the blank lines that belong to it.
     *
     * @return MHA's message, {@code Deleted server100 entry from /etc/mha/app1.cnf .}
     * @throws ConfigException when there is no such block (MHA only prints that and exits 0)
     */
    public static String delete(Path file, String block) {
        IniDocument doc = read(file);
        if (doc.section(block).isEmpty()) {
            throw ConfigException.ofFile(
                    file,
                    "has no entry " + block + " (blocks: "
                            + String.join(
                                    ", ",
                                    doc.sections().stream()
                                            .map(IniDocument.Section::name)
                                            .toList()) + ")",
                    null);
        }
        doc.withoutSection(block).write(file);
        return "Deleted " + block + " entry from " + file + " .";
    }

    private static IniDocument read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw ConfigException.ofFile(file, "does not exist", null);
        }
        return IniDocument.read(file);
    }
}

package io.mha4j.internal.config;

import io.mha4j.config.ConfigException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An INI file as MHA reads it (Perl's Config::Tiny), kept line by line so that it can be
 * edited and written back without touching the lines an edit does not concern. MHA itself
 * rewrites the whole file and loses every comment when it removes a dead master's block;
 * users keep comments in these files, so we don't.
 *
 * <p>Syntax, as Config::Tiny: blank lines and lines starting with {@code #} or {@code ;}
 * are comments; {@code " ; "} starts a comment inside a line; {@code [name]} opens a section;
 * {@code key = value} sets a parameter, surrounding whitespace trimmed. Unlike Config::Tiny,
 * a section or a key given twice is an error rather than a silent merge.
 *
 * <p>Instances are immutable; every edit returns a new document.
 */
public final class IniDocument {
    private static final Pattern COMMENT_OR_BLANK = Pattern.compile("^\\s*(?:#|;|$)");
    private static final Pattern INLINE_COMMENT = Pattern.compile("\\s;\\s.+$");
    private static final Pattern SECTION = Pattern.compile("^\\s*\\[\\s*(.+?)\\s*\\]\\s*$");
    private static final Pattern ENTRY = Pattern.compile("^\\s*([^=]+?)\\s*=\\s*(.*?)\\s*$");

    /** A {@code key=value} line; {@code value} is trimmed, quotes are kept. */
    public record Entry(String key, String value, int line) {}

    /** A section, its header line and its entries in file order. */
    public record Section(String name, int line, List<Entry> entries) {
        public Section {
            entries = List.copyOf(entries);
        }

        public Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }

        /** The last line that belongs to this section: its last entry, or its header. */
        int lastLine() {
            return entries.isEmpty() ? line : entries.get(entries.size() - 1).line();
        }
    }

    private final Path source;
    private final List<String> lines;
    private final List<String> endings;
    private final List<Section> sections;

    private IniDocument(Path source, List<String> lines, List<String> endings) {
        this.source = source;
        this.lines = List.copyOf(lines);
        this.endings = List.copyOf(endings);
        this.sections = parseSections();
    }

    /** Reads a file; a file that cannot be read or decoded is a {@link ConfigException} naming it. */
    public static IniDocument read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw ConfigException.ofFile(file, "cannot be read: it is not UTF-8 text", e);
        } catch (IOException e) {
            throw ConfigException.ofFile(file, "cannot be read: " + describe(e), e);
        }
        return parse(text, file);
    }

    /**
     * Parses text; {@code source} only names the text in error messages and may be null.
     *
     * @throws ConfigException at the first line that is not a comment, a section header or a
     *     {@code key=value} line, or that repeats a section or a key
     */
    public static IniDocument parse(String text, Path source) {
        List<String> lines = new ArrayList<>();
        List<String> endings = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                int end = i;
                i += (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') ? 2 : 1;
                lines.add(text.substring(start, end));
                endings.add(text.substring(end, i));
                start = i;
            } else {
                i++;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
            endings.add("");
        }
        return new IniDocument(source, lines, endings);
    }

    private List<Section> parseSections() {
        List<Section> result = new ArrayList<>();
        Map<String, Integer> sectionLines = new HashMap<>();
        String name = null;
        int header = 0;
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> keyLines = new HashMap<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            if (COMMENT_OR_BLANK.matcher(line).find()) {
                continue;
            }
            String content = INLINE_COMMENT.matcher(line).replaceAll("");
            Matcher section = SECTION.matcher(content);
            if (section.matches()) {
                if (name != null) {
                    result.add(new Section(name, header, entries));
                }
                name = section.group(1);
                header = n;
                Integer earlier = sectionLines.putIfAbsent(name, n);
                if (earlier != null) {
                    throw ConfigException.at(
                            source,
                            n,
                            name,
                            null,
                            "section [" + name + "] is defined twice (first at line " + earlier + ")");
                }
                entries = new ArrayList<>();
                keyLines = new HashMap<>();
                continue;
            }
            Matcher entry = ENTRY.matcher(content);
            if (entry.matches()) {
                String key = entry.group(1);
                if (name == null) {
                    throw ConfigException.at(
                            source,
                            n,
                            null,
                            key,
                            "parameter outside any section; put it under [server default] or a [serverN] block");
                }
                Integer earlier = keyLines.putIfAbsent(key, n);
                if (earlier != null) {
                    throw ConfigException.at(
                            source, n, name, key, "set twice in this section (first at line " + earlier + ")");
                }
                entries.add(new Entry(key, entry.group(2), n));
                continue;
            }
            throw ConfigException.at(
                    source,
                    n,
                    name,
                    null,
                    "malformed line (expected [section], name=value or a # comment): " + quoteUnlessSecret(line));
        }
        if (name != null) {
            result.add(new Section(name, header, entries));
        }
        return List.copyOf(result);
    }

    /** A line we cannot parse may be a password someone forgot the '=' of: never echo those. */
    private static String quoteUnlessSecret(String line) {
        return line.toLowerCase(java.util.Locale.ROOT).contains("pass")
                ? "(not shown: it may hold a password)"
                : "'" + line.strip() + "'";
    }

    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }

    public List<Section> sections() {
        return sections;
    }

    public Optional<Section> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The document's text, byte for byte what was read where nothing was edited. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(lines.get(i)).append(endings.get(i));
        }
        return sb.toString();
    }

    /**
     * Removes a section: its header, its entries and the comments between them, and the blank
     * lines that follow it — or, for the last section of the document, the blank lines before
     * it, so that removing an appended section gives back the file it was appended to.
     * Comments after its last entry stay, as they usually introduce what follows.
     *
     * @throws IllegalArgumentException if there is no such section
     */
    public IniDocument withoutSection(String name) {
        Section s = require(name);
        int from = s.line();
        int to = s.lastLine();
        while (to < lines.size() && lines.get(to).isBlank()) {
            to++;
        }
        if (to == lines.size()) {
            while (from > 1 && lines.get(from - 2).isBlank()) {
                from--;
            }
        }
        List<String> newLines = new ArrayList<>(lines);
        List<String> newEndings = new ArrayList<>(endings);
        newLines.subList(from - 1, to).clear();
        newEndings.subList(from - 1, to).clear();
        return new IniDocument(source, newLines, newEndings);
    }

    /**
     * Appends a new section with the given entries at the end of the document.
     *
     * @throws IllegalArgumentException if the section exists
     */
    public IniDocument withSection(String name, Map<String, String> entries) {
        if (section(name).isPresent()) {
            throw new IllegalArgumentException("section [" + name + "] already exists");
        }
        List<String> newLines = new ArrayList<>(lines);
        List<String> newEndings = new ArrayList<>(endings);
        String nl = dominantEnding();
        if (!newLines.isEmpty()) {
            if (newEndings.get(newEndings.size() - 1).isEmpty()) {
                newEndings.set(newEndings.size() - 1, nl);
            }
            if (!newLines.get(newLines.size() - 1).isBlank()) {
                newLines.add("");
                newEndings.add(nl);
            }
        }
        newLines.add("[" + name + "]");
        newEndings.add(nl);
        entries.forEach((k, v) -> {
            newLines.add(k + "=" + v);
            newEndings.add(nl);
        });
        return new IniDocument(source, newLines, newEndings);
    }

    /**
     * Sets a key in a section: replaces the value on its line (keeping the key's spelling and
     * indentation) or adds a line after the section's last entry.
     */
    public IniDocument withEntry(String sectionName, String key, String value) {
        Section s = require(sectionName);
        List<String> newLines = new ArrayList<>(lines);
        List<String> newEndings = new ArrayList<>(endings);
        Optional<Entry> existing = s.entry(key);
        if (existing.isPresent()) {
            String old = lines.get(existing.get().line() - 1);
            newLines.set(existing.get().line() - 1, old.substring(0, old.indexOf('=') + 1) + value);
        } else {
            int at = s.lastLine();
            if (newEndings.get(at - 1).isEmpty()) {
                newEndings.set(at - 1, dominantEnding());
            }
            newLines.add(at, key + "=" + value);
            newEndings.add(at, dominantEnding());
        }
        return new IniDocument(source, newLines, newEndings);
    }

    /** Removes a key's line from a section; a missing key leaves the document as it is. */
    public IniDocument withoutEntry(String sectionName, String key) {
        Optional<Entry> entry = require(sectionName).entry(key);
        if (entry.isEmpty()) {
            return this;
        }
        List<String> newLines = new ArrayList<>(lines);
        List<String> newEndings = new ArrayList<>(endings);
        newLines.remove(entry.get().line() - 1);
        newEndings.remove(entry.get().line() - 1);
        return new IniDocument(source, newLines, newEndings);
    }

    /**
     * Writes the document atomically (a temporary file in the same directory, then a rename),
     * keeping the target's permissions, so that a manager reading it never sees half a file.
     */
    public void write(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text(), StandardCharsets.UTF_8);
                if (Files.exists(file) && Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw ConfigException.ofFile(file, "cannot be written: " + describe(e), e);
        }
    }

    private Section require(String name) {
        return section(name)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no section [" + name + "]" + (source == null ? "" : " in " + source)));
    }

    private String dominantEnding() {
        long crlf = endings.stream().filter("\r\n"::equals).count();
        long lf = endings.stream().filter("\n"::equals).count();
        return crlf > lf ? "\r\n" : "\n";
    }

    private static String describe(IOException e) {
        String kind = e.getClass()
                .getSimpleName()
                .replace("NoSuchFileException", "no such file")
                .replace("AccessDeniedException", "permission denied")
                .replace("FileSystemException", "file system error");
        return e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                ? kind + " (" + fse.getReason() + ")"
                : kind.equals("IOException") ? String.valueOf(e.getMessage()) : kind;
    }
}

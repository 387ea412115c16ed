package io.mha4j.cli;

import io.mha4j.config.ConfigException;
import io.mha4j.config.MhaConfigReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The manager's {@code --conf}: repeated, one application each, and a directory standing for every
 * {@code *.cnf} in it (sorted by name; not its subdirectories). {@code --global_conf} applies to all.
 */
final class ApplicationFiles {
    @Option(
            names = "--conf",
            required = true,
            paramLabel = "FILE|DIR",
            description = "an application file, e.g. /etc/mha/app1.cnf; repeat it, or name a directory, to run"
                    + " several applications in this process (mha4j)")
    List<Path> named;

    @Mixin
    GlobalConfOption global;

    /**
     * The application files, in command-line order, directories expanded; a directory without one, or two
     * files of one application, is an error.
     */
    List<Path> files() {
        List<Path> files = expand(named);
        requireDistinct(files);
        return files;
    }

    static List<Path> expand(List<Path> named) {
        List<Path> files = new ArrayList<>();
        for (Path p : named) {
            if (!Files.isDirectory(p)) {
                files.add(p);
                continue;
            }
            List<Path> inside = cnfFiles(p);
            if (inside.isEmpty()) {
                throw ConfigException.ofFile(p, "no .cnf file in this directory: no application to manage", null);
            }
            files.addAll(inside);
        }
        return files;
    }

    private static List<Path> cnfFiles(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(f -> f.getFileName().toString().endsWith(".cnf") && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw ConfigException.ofFile(dir, "cannot list the directory: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses two files of one application (MHA names it after the file: {@code a/app1.cnf} and
     * {@code b/app1.cnf} are both app1): in one process they would share its name, lock file, status file
     * and log. A file named twice is refused the same way.
     */
    static void requireDistinct(List<Path> files) {
        Map<String, Path> seen = new HashMap<>();
        for (Path file : files) {
            Path first = seen.putIfAbsent(MhaConfigReader.applicationName(file), file);
            if (first != null) {
                throw ConfigException.ofFile(
                        file,
                        "application " + MhaConfigReader.applicationName(file) + " is named by " + first
                                + " too: one manager per application (its lock, status file and log); nothing started",
                        null);
            }
        }
    }
}

package io.mha4j.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.LoggerFactory;

/**
 * Points the manager's log where MHA would write it: {@code manager_log} (or
 * {@code --manager_log}), else standard error, in MHA's line format
 * ({@code Wed Nov 25 01:24:49 2026 - [info] …}) so that existing greps and log shippers work.
 *
 * <p>With several applications in one process each line goes where its application's would
 * ({@link ApplicationTag}): a {@code manager_log} of its own keeps MHA's format; a stream several
 * share (standard error, one {@code --manager_log}) labels each line {@code [app1] }. The lines of no
 * application (the command's own) go to standard error.
 */
final class ManagerLog {
    private static final String PATTERN = "%d{EEE MMM d HH:mm:ss yyyy} - [%mhalevel] ";

    /** Where one application's lines go (empty: standard error), from which MHA {@code log_level}. */
    record Route(String application, Optional<Path> file, String level) {}

    private ManagerLog() {}

    static void configure(Optional<Path> file, String level) {
        String out = appender("OUT", file, "", "%msg%n");
        apply(
                out + root(logbackLevel(level), List.of("OUT")),
                file.map(Path::toString).orElse("standard error"));
    }

    static void configure(List<Route> routes) {
        if (routes.size() == 1) {
            configure(routes.get(0).file(), routes.get(0).level());
            return;
        }
        Map<Optional<Path>, List<Route>> byTarget =
                routes.stream().collect(Collectors.groupingBy(Route::file, LinkedHashMap::new, Collectors.toList()));
        byTarget.putIfAbsent(Optional.empty(), List.of());
        StringBuilder appenders = new StringBuilder();
        int n = 0;
        for (Map.Entry<Optional<Path>, List<Route>> target : byTarget.entrySet()) {
            boolean stderr = target.getKey().isEmpty();
            String filter = "<filter class=\"" + ApplicationTag.Route.class.getName() + "\">"
                    + (target.getValue().isEmpty()
                            ? ""
                            : "<applications>"
                                    + xml(target.getValue().stream()
                                            .map(r -> r.application() + ":" + logbackLevel(r.level()))
                                            .collect(Collectors.joining("/")))
                                    + "</applications>")
                    + (stderr ? "<unlabelled>INFO</unlabelled>" : "")
                    + "</filter>";
            boolean shared = stderr || target.getValue().size() > 1;
            appenders.append(appender("OUT" + n++, target.getKey(), filter, (shared ? "%mhaapp" : "") + "%msg%n"));
        }
        String mostVerbose = routes.stream()
                .map(r -> Level.toLevel(logbackLevel(r.level())))
                .min(Comparator.comparingInt(l -> l.levelInt))
                .orElseThrow()
                .toString();
        List<String> names = IntStream.range(0, n).mapToObj(i -> "OUT" + i).toList();
        apply(
                appenders + root(mostVerbose, names),
                routes.stream().map(Route::file).distinct().toList().toString());
    }

    private static String appender(String name, Optional<Path> file, String filter, String message) {
        String target = file.map(f -> "<appender name=\"" + name + "\" class=\"ch.qos.logback.core.FileAppender\">"
                        + "<file>" + xml(f.toString()) + "</file><append>true</append>")
                .orElse("<appender name=\"" + name + "\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                        + "<target>System.err</target>");
        return target + filter + "<encoder><pattern>" + PATTERN + message + "</pattern></encoder></appender>";
    }

    private static String root(String level, List<String> appenders) {
        return "<logger name=\"net.schmizz\" level=\"WARN\"/><logger name=\"com.hierynomus\" level=\"WARN\"/>"
                + "<logger name=\"com.mysql\" level=\"WARN\"/><logger name=\"io.mha4j.testkit\" level=\"WARN\"/>"
                + "<root level=\"" + level + "\">"
                + appenders.stream()
                        .map(a -> "<appender-ref ref=\"" + a + "\"/>")
                        .collect(Collectors.joining())
                + "</root>";
    }

    private static void apply(String body, String where) {
        String config = "<configuration>"
                + "<conversionRule conversionWord=\"mhalevel\" converterClass=\"" + MhaLevelConverter.class.getName()
                + "\"/>"
                + "<conversionRule conversionWord=\"mhaapp\" converterClass=\""
                + ApplicationTag.Label.class.getName() + "\"/>"
                + body
                + "</configuration>";
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)));
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure the manager log " + where, e);
        }
    }

    /** MHA's log_level names (Log::Dispatch) to logback's. */
    private static String logbackLevel(String mhaLevel) {
        return switch (mhaLevel) {
            case "debug" -> "DEBUG";
            case "info", "notice" -> "INFO";
            case "warning" -> "WARN";
            default -> "ERROR";
        };
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

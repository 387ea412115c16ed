package io.mha4j.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Points the manager's log where MHA would write it: {@code manager_log} (or
 * {@code --manager_log}), else standard error, in MHA's line format
 * ({@code Wed Nov 25 01:24:49 2026 - [info] …}) so that existing greps and log shippers work.
 */
final class ManagerLog {
    private ManagerLog() {}

    static void configure(Optional<Path> file, String level) {
        String appender = file.map(f -> "<appender name=\"OUT\" class=\"ch.qos.logback.core.FileAppender\">" + "<file>"
                        + xml(f.toString()) + "</file><append>true</append>")
                .orElse(
                        "<appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\"><target>System.err</target>");
        String config = "<configuration>"
                + "<conversionRule conversionWord=\"mhalevel\" converterClass=\"" + MhaLevelConverter.class.getName()
                + "\"/>"
                + appender
                + "<encoder><pattern>%d{EEE MMM d HH:mm:ss yyyy} - [%mhalevel] %msg%n</pattern></encoder></appender>"
                + "<logger name=\"net.schmizz\" level=\"WARN\"/><logger name=\"com.hierynomus\" level=\"WARN\"/>"
                + "<logger name=\"com.mysql\" level=\"WARN\"/><logger name=\"io.mha4j.testkit\" level=\"WARN\"/>"
                + "<root level=\"" + logbackLevel(level) + "\"><appender-ref ref=\"OUT\"/></root>"
                + "</configuration>";
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)));
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure the manager log " + file.orElse(null), e);
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

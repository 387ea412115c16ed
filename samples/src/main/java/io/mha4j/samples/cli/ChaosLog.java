package io.mha4j.samples.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * One trial's log: everything mha4j (the manager, its failovers, the testkit) logs at INFO and
 * above while the trial runs goes to its own file, and not to the console, where the harness
 * prints one line per trial.
 */
final class ChaosLog implements AutoCloseable {
    private final Path file;
    private final Logger logger;
    private final Level level;
    private final boolean additive;
    private final FileAppender<ILoggingEvent> appender = new FileAppender<>();

    ChaosLog(Path file) {
        this.file = file;
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logger = context.getLogger("io.mha4j");
        level = logger.getLevel();
        additive = logger.isAdditive();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} [%thread] %-5level %logger{1} - %msg%n");
        encoder.start();
        appender.setContext(context);
        appender.setName("chaos-trial");
        appender.setFile(file.toString());
        appender.setAppend(false);
        appender.setEncoder(encoder);
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(level);
        logger.setAdditive(additive);
    }
}

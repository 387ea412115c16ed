package io.mha4j.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Log levels as MHA writes them ({@code [info]}, {@code [warning]}, {@code [error]}): users grep for them. */
public final class MhaLevelConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        Level l = event.getLevel();
        if (l == Level.WARN) {
            return "warning";
        }
        return l.toString().toLowerCase(java.util.Locale.ROOT);
    }
}

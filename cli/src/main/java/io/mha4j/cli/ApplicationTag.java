package io.mha4j.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.HashMap;
import java.util.Map;

/**
 * Which application a log line belongs to when one process manages several: set on each
 * application's thread and inherited by every thread it starts (its checks, monitor, failover,
 * guard), so that {@link ManagerLog} routes the line to that application's {@code manager_log}
 * and labels it where several applications share one stream. SLF4J's MDC would not do: logback
 * does not pass it on to new threads. Lines of a thread no application started (the command's
 * own) carry no application.
 */
final class ApplicationTag {
    private static final InheritableThreadLocal<String> CURRENT = new InheritableThreadLocal<>();

    private ApplicationTag() {}

    /** Tags this thread, and the threads it will start, with {@code application}. */
    static void set(String application) {
        CURRENT.set(application);
    }

    /** {@code %mhaapp}: {@code [app1] } before a line of app1, nothing before a line of no application. */
    public static final class Label extends ClassicConverter {
        @Override
        public String convert(ILoggingEvent event) {
            String application = CURRENT.get();
            return application == null ? "" : "[" + application + "] ";
        }
    }

    /**
     * Lets through one appender the lines of the applications routed to it, each from its own
     * {@code log_level} up ({@code app1:INFO/app2:DEBUG}), and, when {@code unlabelled} is set, the
     * lines of no application from that level up. Logback logs on the thread that logs, so the tag
     * read here is the line's.
     */
    public static final class Route extends Filter<ILoggingEvent> {
        private final Map<String, Level> applications = new HashMap<>();
        private Level unlabelled;

        /** {@code app1:INFO/app2:DEBUG}: a file name holds no {@code /}, so no application name does. */
        public void setApplications(String routes) {
            for (String route : routes.split("/")) {
                int colon = route.lastIndexOf(':');
                applications.put(route.substring(0, colon), Level.toLevel(route.substring(colon + 1)));
            }
        }

        public void setUnlabelled(String level) {
            this.unlabelled = Level.toLevel(level);
        }

        @Override
        public FilterReply decide(ILoggingEvent event) {
            String application = CURRENT.get();
            Level from = application == null ? unlabelled : applications.get(application);
            return from != null && event.getLevel().isGreaterOrEqual(from) ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
    }
}

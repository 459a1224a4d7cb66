package dev.sealpost.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Captures the {@code dev.sealpost.login} lines (the {@code core.login.LoginGate}'s, one per
 * login attempt) while open, for the SMTP, IMAP and POP3 tests of that line's fields.
 */
public final class LoginLog implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.sealpost.login");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LoginLog() {
        appender.start();
        logger.addAppender(appender);
    }

    public static LoginLog capture() {
        return new LoginLog();
    }

    /** The formatted lines captured so far, oldest first. */
    public List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}

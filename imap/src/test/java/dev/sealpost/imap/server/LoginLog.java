package dev.sealpost.imap.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Captures the {@code dev.sealpost.login} lines (the LoginGate's) while open. */
final class LoginLog implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.sealpost.login");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LoginLog() {
        appender.start();
        logger.addAppender(appender);
    }

    static LoginLog capture() {
        return new LoginLog();
    }

    List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}

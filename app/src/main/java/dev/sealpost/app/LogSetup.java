package dev.sealpost.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.sealpost.app.config.SealpostConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Applies {@code [log]} to logback, by code rather than XML: the root level, standard error or a
 * file, and the text or JSON-lines format. Both formats carry the same fields: time, level, the
 * logger's short name, the message, and the stack trace when there is one.
 */
public final class LogSetup {
    /** The text pattern (also in logback.xml, the default before the config is read). */
    public static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%logger{0}] %msg%n";
    private static final String APPENDER = "sealpost";

    private LogSetup() {}

    /** Replaces the root logger's appenders with the one {@code log} describes. */
    public static void apply(SealpostConfig.Log log) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return; // another SLF4J binding: leave it alone
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        LayoutBase<ILoggingEvent> layout;
        if (log.format().equals("json")) {
            layout = new JsonLayout();
        } else {
            PatternLayout p = new PatternLayout();
            p.setPattern(TEXT_PATTERN);
            layout = p;
        }
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.setCharset(java.nio.charset.StandardCharsets.UTF_8);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender;
        if (log.file() != null) {
            FileAppender<ILoggingEvent> f = new FileAppender<>();
            f.setFile(log.file().toString());
            f.setAppend(true);
            appender = f;
        } else {
            ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
            c.setTarget("System.err");
            appender = c;
        }
        appender.setName(APPENDER);
        appender.setContext(ctx);
        appender.setEncoder(encoder);
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        root.setLevel(Level.toLevel(log.level(), Level.INFO));
    }

    /** One JSON object per line: {@code ts}, {@code level}, {@code logger}, {@code msg}, and {@code exception} when there is one. */
    static final class JsonLayout extends LayoutBase<ILoggingEvent> {
        private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());

        @Override
        public String doLayout(ILoggingEvent e) {
            StringBuilder b = new StringBuilder(256).append('{');
            field(b, "ts", TS.format(Instant.ofEpochMilli(e.getTimeStamp()))).append(',');
            field(b, "level", e.getLevel().toString()).append(',');
            String name = e.getLoggerName();
            field(b, "logger", name.substring(name.lastIndexOf('.') + 1)).append(',');
            field(b, "msg", e.getFormattedMessage());
            if (e.getThrowableProxy() != null) field(b.append(','), "exception", ThrowableProxyUtil.asString(e.getThrowableProxy()));
            return b.append("}\n").toString();
        }

        private static StringBuilder field(StringBuilder b, String name, String value) {
            b.append('"').append(name).append("\":\"");
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
                        else b.append(c);
                    }
                }
            }
            return b.append('"');
        }
    }
}

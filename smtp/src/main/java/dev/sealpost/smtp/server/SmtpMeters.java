package dev.sealpost.smtp.server;

import dev.sealpost.core.metrics.Meters;
import dev.sealpost.smtp.proto.SmtpCommand;
import io.micrometer.core.instrument.Counter;

import java.util.Locale;

/** The SMTP session's counters, made once (the hot path only increments). */
final class SmtpMeters {
    private SmtpMeters() {
    }

    private static final ClassValue<Counter> COMMANDS = new ClassValue<>() {
        @Override
        protected Counter computeValue(Class<?> type) {
            // the record's simple name is the verb: Ehlo -> ehlo, StartTls -> starttls
            return Meters.counter(Meters.SMTP_COMMANDS, "SMTP commands received",
                    "command", type.getSimpleName().toLowerCase(Locale.ROOT));
        }
    };

    private static final Counter INVALID = Meters.counter(Meters.SMTP_COMMANDS, "SMTP commands received", "command", "invalid");

    private static final Counter[] REPLIES = {
            Meters.counter(Meters.SMTP_REPLIES, "SMTP replies sent", "class", "2xx"),
            Meters.counter(Meters.SMTP_REPLIES, "SMTP replies sent", "class", "3xx"),
            Meters.counter(Meters.SMTP_REPLIES, "SMTP replies sent", "class", "4xx"),
            Meters.counter(Meters.SMTP_REPLIES, "SMTP replies sent", "class", "5xx"),
    };

    static void command(SmtpCommand c) {
        COMMANDS.get(c.getClass()).increment();
    }

    static void invalidCommand() {
        INVALID.increment();
    }

    static void reply(int code) {
        int cls = code / 100;
        if (cls >= 2 && cls <= 5) REPLIES[cls - 2].increment();
    }
}

package dev.sealpost.app.config;

/** A configuration fault: start-up fails with this message, which names the key and what was expected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}

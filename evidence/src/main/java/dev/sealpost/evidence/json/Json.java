package dev.sealpost.evidence.json;

/** Shared JSON constants. */
public final class Json {
    private Json() {}

    /** The JSON {@code null} (a Java null is never a JSON value here). */
    public static final Object NULL = new Object() {
        @Override public String toString() {
            return "null";
        }
    };
}

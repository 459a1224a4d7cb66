package dev.sealpost.filter;

import java.util.List;

/**
 * One named check over a message. A check reads the {@link FilterInput} and returns the hits it
 * found (usually zero or one). It must not throw on any input and must respect its own bounds.
 */
public interface Check {
    /** A stable name for logs and configuration (the name of its main hit, where there is one). */
    String name();

    List<Hit> run(FilterInput input);
}

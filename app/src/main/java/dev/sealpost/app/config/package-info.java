/**
 * The static TOML configuration.
 *
 * <h2>Purpose</h2>
 * Reads one TOML file into validated settings records. Every key has a default (listed in
 * {@code conf/sealpost.toml}); an unknown key, a wrong type, a value out of range or an
 * inconsistent combination fails start-up with a message naming the key and what was expected.
 *
 * <h2>Security</h2>
 * The file is trusted (written by the administrator) but still checked: it decides which
 * ports are open, whether AUTH may run without TLS (refused unless explicitly allowed) and the
 * TLS profile of each listener ({@code tls.profile = "legacy"} is refused: CBC suites only through
 * {@code tls.mx_profile}, on the port-25 MX).
 *
 * <h2>Standards</h2>
 * TOML 1.0 (through Jackson's TOML reader).
 *
 * <h2>Configuration</h2>
 * This is it.
 */
package dev.sealpost.app.config;

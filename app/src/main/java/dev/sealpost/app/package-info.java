/**
 * The program: {@code main}, lifecycle and wiring.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.app.SealpostServer} is the one place that builds every module from the
 * config (by hand: constructors, no framework) and stops them in reverse order:
 * store → local delivery → SMTP listeners.
 *
 * <h2>Security</h2>
 * Loads the TLS key and the config; does not parse network input itself. Builds one
 * {@code core.tls.ServerTls} per listener from {@code tls.profile} / {@code tls.mx_profile}, and
 * sets {@code jdk.tls.rejectClientInitiatedRenegotiation=true} first thing in {@code Main.main}
 * (again in {@code SealpostServer.start} for in-process servers): no TLS 1.2 renegotiation. Logs never carry
 * passwords or message bodies. {@code LogSetup} applies {@code [log]} (level, file, text or JSON
 * lines) through logback's API. A listener that cannot bind ends start-up with a message naming
 * it, its port and the ways out (no stack trace). All files the config names are checked before
 * the data directory is touched; SIGHUP swaps the certificate in the shared key manager
 * ({@code tls.TlsFiles.Reloadable}) without a restart, and so does the ACME renewal service
 * ({@code acme.AcmeCertificates}, {@code [acme]}) after each issuance.
 *
 * <h2>Standards</h2>
 * None directly; see the modules it wires.
 *
 * <h2>Configuration</h2>
 * All of it: see {@code conf/sealpost.toml} and {@link dev.sealpost.app.config.SealpostConfig}.
 */
package dev.sealpost.app;

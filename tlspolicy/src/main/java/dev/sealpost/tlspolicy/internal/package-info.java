/**
 * Helpers shared by the {@code tlspolicy} packages; not API.
 *
 * <h2>Purpose</h2>
 * Host-name normalisation and single-label wildcard matching for MTA-STS {@code mx} patterns and
 * DANE certificate name checks.
 *
 * <h2>Security</h2>
 * Pure functions over strings (peer-supplied names from policies and certificates); no I/O.
 *
 * <h2>Standards</h2>
 * RFC 8461 §4.1, RFC 7672 §3.2.3, RFC 6125 §6.4.3.
 *
 * <h2>Configuration</h2>
 * None.
 */
package dev.sealpost.tlspolicy.internal;

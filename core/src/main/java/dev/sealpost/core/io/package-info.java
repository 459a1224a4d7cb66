/**
 * File durability helpers.
 *
 * <h2>Purpose</h2>
 * {@link dev.sealpost.core.io.Fsync}: fsync of files and directories and atomic durable
 * replacement of a file, for the spool, the blob store and state files.
 *
 * <h2>Security</h2>
 * Parses no input. Writes only to the paths it is given; temporary files are created next to
 * the target with owner-only permissions (POSIX) and removed on failure.
 *
 * <h2>Standards</h2>
 * POSIX fsync(2) and rename(2) semantics.
 *
 * <h2>Configuration</h2>
 * None.
 */
package dev.sealpost.core.io;

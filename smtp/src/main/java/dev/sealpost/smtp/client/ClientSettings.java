package dev.sealpost.smtp.client;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of SMTP client connections.
 *
 * @param timeouts            read and write time limits (RFC 5321 §4.5.3.2)
 * @param localAddress        the local address to connect from, or null for any
 * @param pkixTrust           the trust anchors for the PKIX check that every TLS handshake records
 *                            ({@link TlsOutcome#pkixValid()}); by default the JDK's trust store
 * @param maxReplyLineLength  most octets of one reply line (RFC 5321 §4.5.3.1.5: 512 with CRLF; we allow more)
 * @param maxReplyLines       most lines of one reply
 * @param chunkSize           octets per BDAT chunk (RFC 3030)
 * @param maxDowngradeSize    largest message converted in memory to 7 bit for a peer without
 *                            8BITMIME (RFC 6152 §3); larger ones fail with 5.6.3
 * @param allowPlaintextAuth  send AUTH credentials over a connection without TLS (default false)
 * @param useChunking         send with BDAT whenever the server offers CHUNKING (default true);
 *                            when false, DATA is used unless the body is BINARYMIME
 */
public record ClientSettings(Timeouts timeouts, InetAddress localAddress, X509TrustManager pkixTrust,
                             int maxReplyLineLength, int maxReplyLines, int chunkSize, long maxDowngradeSize,
                             boolean allowPlaintextAuth, boolean useChunking) {

    public ClientSettings {
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(pkixTrust, "pkixTrust");
        if (maxReplyLineLength < 512) throw new IllegalArgumentException("maxReplyLineLength: at least 512 (RFC 5321 §4.5.3.1.5)");
        if (maxReplyLines < 1) throw new IllegalArgumentException("maxReplyLines: must be positive");
        if (chunkSize < 1) throw new IllegalArgumentException("chunkSize: must be positive");
        if (maxDowngradeSize < 0) throw new IllegalArgumentException("maxDowngradeSize: must not be negative");
    }

    /** RFC 5321 timeouts, the JDK trust store, 4096-octet reply lines, 1 MiB chunks, 64 MiB downgrade limit. */
    public static ClientSettings defaults() {
        return new ClientSettings(Timeouts.rfc5321(), null, jdkTrust(), 4096, 200, 1 << 20, 64L << 20, false, true);
    }

    public ClientSettings withTimeouts(Timeouts t) {
        return new ClientSettings(t, localAddress, pkixTrust, maxReplyLineLength, maxReplyLines, chunkSize, maxDowngradeSize, allowPlaintextAuth, useChunking);
    }

    public ClientSettings withPkixTrust(X509TrustManager t) {
        return new ClientSettings(timeouts, localAddress, t, maxReplyLineLength, maxReplyLines, chunkSize, maxDowngradeSize, allowPlaintextAuth, useChunking);
    }

    public ClientSettings withLocalAddress(InetAddress a) {
        return new ClientSettings(timeouts, a, pkixTrust, maxReplyLineLength, maxReplyLines, chunkSize, maxDowngradeSize, allowPlaintextAuth, useChunking);
    }

    public ClientSettings withChunkSize(int n) {
        return new ClientSettings(timeouts, localAddress, pkixTrust, maxReplyLineLength, maxReplyLines, n, maxDowngradeSize, allowPlaintextAuth, useChunking);
    }

    public ClientSettings withMaxDowngradeSize(long n) {
        return new ClientSettings(timeouts, localAddress, pkixTrust, maxReplyLineLength, maxReplyLines, chunkSize, n, allowPlaintextAuth, useChunking);
    }

    public ClientSettings withAllowPlaintextAuth(boolean b) {
        return new ClientSettings(timeouts, localAddress, pkixTrust, maxReplyLineLength, maxReplyLines, chunkSize, maxDowngradeSize, b, useChunking);
    }

    public ClientSettings withUseChunking(boolean b) {
        return new ClientSettings(timeouts, localAddress, pkixTrust, maxReplyLineLength, maxReplyLines, chunkSize, maxDowngradeSize, allowPlaintextAuth, b);
    }

    /** The JDK's default trust store as an X509TrustManager. */
    public static X509TrustManager jdkTrust() {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            for (var tm : f.getTrustManagers()) if (tm instanceof X509TrustManager x) return x;
            throw new IllegalStateException("no X509TrustManager in the JDK default trust managers");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK trust store unavailable", e);
        }
    }

    /**
     * Time limits. Each read waits at most its limit; each block written (at most a buffer's worth)
     * must be taken by the peer within {@code dataBlock}, or the connection is closed.
     *
     * @param connect   TCP connect
     * @param greeting  the 220 greeting (RFC 5321 §4.5.3.2.1: 5 minutes)
     * @param command   EHLO, STARTTLS (incl. the handshake), AUTH, RSET, NOOP, QUIT (5 minutes, as MAIL)
     * @param mail      MAIL reply (§4.5.3.2.2: 5 minutes)
     * @param rcpt      RCPT reply (§4.5.3.2.3: 5 minutes)
     * @param dataInit  DATA 354 reply (§4.5.3.2.4: 2 minutes)
     * @param dataBlock each write of content, and each intermediate BDAT reply (§4.5.3.2.5: 3 minutes)
     * @param dataFinal the reply after the final dot or last BDAT (§4.5.3.2.6: 10 minutes)
     */
    public record Timeouts(Duration connect, Duration greeting, Duration command, Duration mail, Duration rcpt,
                           Duration dataInit, Duration dataBlock, Duration dataFinal) {
        public Timeouts {
            for (Duration d : new Duration[]{connect, greeting, command, mail, rcpt, dataInit, dataBlock, dataFinal}) {
                if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts: every limit must be positive");
                if (d.toMillis() > Integer.MAX_VALUE) throw new IllegalArgumentException("timeouts: limit too large");
            }
        }

        /** The minimums of RFC 5321 §4.5.3.2, and a 30 s connect limit. */
        public static Timeouts rfc5321() {
            return new Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5),
                    Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(10));
        }

        /** The same limit everywhere (tests). */
        public static Timeouts uniform(Duration d) {
            return new Timeouts(d, d, d, d, d, d, d, d);
        }
    }
}

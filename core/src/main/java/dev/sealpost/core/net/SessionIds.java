package dev.sealpost.core.net;

import java.security.SecureRandom;

/**
 * Session ids for every protocol session (SMTP, IMAP, POP3, ManageSieve): 12 lower-case base32
 * characters (60 random bits), the same form everywhere, so that one id can be searched across
 * the log, the Received field's {@code id} clause and the login log line. Random rather than a
 * counter: an id seen by a client (the SMTP Received field) reveals nothing about the server's
 * traffic.
 */
public final class SessionIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    /** The length of every id. */
    public static final int LENGTH = 12;

    private SessionIds() {
    }

    /** A new id: {@value #LENGTH} characters of {@code [a-z2-7]}. */
    public static String next() {
        long r = RANDOM.nextLong();
        char[] c = new char[LENGTH];
        for (int i = 0; i < c.length; i++) {
            c[i] = BASE32[(int) (r & 31)];
            r >>>= 5;
        }
        return new String(c);
    }
}

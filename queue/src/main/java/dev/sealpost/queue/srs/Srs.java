package dev.sealpost.queue.srs;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;

/**
 * Rewrites envelope senders for forwarding and reverses the rewritten addresses (the Sender
 * Rewriting Scheme, in the libsrs2 format; see the package documentation). Thread-safe.
 */
public final class Srs {
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int HASH_LENGTH = 4;
    /** Time stamps count days modulo this (two base32 characters). */
    private static final int TIME_SLOTS = 1024;
    private static final long DAY_SECONDS = 86_400;

    private final SrsSecrets secrets;
    private final int maxAgeDays;
    private final Clock clock;

    /**
     * @param maxAgeDays how many days a time stamp stays valid (config {@code srs.max_age_days})
     */
    public Srs(SrsSecrets secrets, int maxAgeDays, Clock clock) {
        if (maxAgeDays < 1 || maxAgeDays >= TIME_SLOTS) throw new IllegalArgumentException("max age must be 1 to 1023 days");
        this.secrets = secrets;
        this.maxAgeDays = maxAgeDays;
        this.clock = clock;
    }

    /** The outcome of {@link #reverse}. */
    public sealed interface Reversed {}

    /** Not an SRS address at all: the caller treats it as an ordinary local part. */
    public record NotSrs() implements Reversed {}

    /** A valid SRS address and the address it stands for (for SRS1: the SRS0 address at the first forwarder). */
    public record Original(String address) implements Reversed {}

    /** An SRS address that fails its check (forged, damaged or too old). */
    public record Refused(String reason) implements Reversed {}

    /** Whether {@code localPart} has the form of an SRS address ({@code SRS0} or {@code SRS1} and a separator). */
    public static boolean looksLikeSrs(String localPart) {
        if (localPart.length() < 5) return false;
        String tag = localPart.substring(0, 4).toUpperCase(Locale.ROOT);
        char sep = localPart.charAt(4);
        // libsrs2 accepts '=', '+' and '-' after the tag; we write '='
        return (tag.equals("SRS0") || tag.equals("SRS1")) && (sep == '=' || sep == '+' || sep == '-');
    }

    /**
     * The address to use as the reverse-path when forwarding mail from {@code sender} through
     * {@code ourDomain}. The null reverse-path stays null (RFC 5321 §4.5.5); an SRS0 address
     * becomes SRS1 (the first forwarder is kept), an SRS1 address gets a new hash of ours.
     *
     * @param sender the original reverse-path ({@code local@domain}, or {@code ""})
     */
    public String forward(String sender, String ourDomain) {
        if (sender.isEmpty()) return sender;
        int at = sender.lastIndexOf('@');
        if (at <= 0 || at == sender.length() - 1) throw new IllegalArgumentException("not an address: " + sender);
        String local = sender.substring(0, at);
        String domain = sender.substring(at + 1);
        if (looksLikeSrs(local)) {
            String srsHost;
            String srsUser;
            if (local.substring(0, 4).equalsIgnoreCase("SRS0")) {
                srsHost = domain;
                srsUser = local.substring(4); // "=HHHH=TT=domain=local", with its separator
            } else {
                // SRS1=HHHH=host==HHHH=TT=...: keep the first forwarder and its SRS0 part
                String[] p = local.substring(5).split("=", 3);
                if (p.length < 3 || p[1].isEmpty() || p[2].isEmpty()) return srs0(local, domain, ourDomain);
                srsHost = p[1];
                srsUser = p[2];
            }
            return "SRS1=" + hash(secrets.signing(), srsHost, srsUser) + "=" + srsHost + "=" + srsUser + "@" + ourDomain;
        }
        return srs0(local, domain, ourDomain);
    }

    private String srs0(String local, String domain, String ourDomain) {
        String ts = timestamp(today());
        return "SRS0=" + hash(secrets.signing(), ts, domain, local) + "=" + ts + "=" + domain + "=" + local + "@" + ourDomain;
    }

    /**
     * Checks an SRS local part (of an address at one of our domains) and gives the address it
     * stands for.
     */
    public Reversed reverse(String localPart) {
        if (!looksLikeSrs(localPart)) return new NotSrs();
        boolean one = localPart.charAt(3) == '1';
        String rest = localPart.substring(5);
        if (!one) {
            String[] p = rest.split("=", 4);
            if (p.length < 4 || p[0].isEmpty() || p[1].length() != 2 || p[2].isEmpty() || p[3].isEmpty()) {
                return new Refused("malformed SRS0 address");
            }
            if (!valid(p[0], p[1], p[2], p[3])) return new Refused("SRS0 hash does not match");
            Integer then = decode(p[1]);
            if (then == null) return new Refused("SRS0 time stamp is not base32");
            long age = Math.floorMod(today() - then, TIME_SLOTS);
            if (age > maxAgeDays) return new Refused("SRS0 address expired (" + age + " days old, at most " + maxAgeDays + ")");
            return new Original(p[3] + "@" + p[2]);
        }
        String[] p = rest.split("=", 3);
        if (p.length < 3 || p[0].isEmpty() || p[1].isEmpty() || p[2].length() < 2) return new Refused("malformed SRS1 address");
        if (!valid(p[0], p[1], p[2])) return new Refused("SRS1 hash does not match");
        // the SRS1 hash carries no time stamp of its own (libsrs2): the first forwarder checks its SRS0 part
        return new Original("SRS0" + p[2] + "@" + p[1]);
    }

    /** Checks {@code given} against every secret, case-insensitively, in constant time per secret. */
    private boolean valid(String given, String... data) {
        if (given.length() != HASH_LENGTH) return false;
        byte[] g = given.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        boolean ok = false;
        for (byte[] secret : secrets.all()) {
            byte[] want = hash(secret, data).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            ok |= MessageDigest.isEqual(g, want);
        }
        return ok;
    }

    /** The first four base64 characters of the HMAC-SHA1 of the lower-cased data (libsrs2). */
    static String hash(byte[] secret, String... data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            for (String d : data) mac.update(d.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal()).substring(0, HASH_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    private long today() {
        return Math.floorDiv(clock.instant().getEpochSecond(), DAY_SECONDS);
    }

    /** Two base32 characters of the day number modulo 1024. */
    static String timestamp(long day) {
        int t = (int) Math.floorMod(day, TIME_SLOTS);
        return "" + BASE32.charAt(t >> 5) + BASE32.charAt(t & 31);
    }

    private static Integer decode(String ts) {
        int hi = BASE32.indexOf(Character.toUpperCase(ts.charAt(0)));
        int lo = BASE32.indexOf(Character.toUpperCase(ts.charAt(1)));
        if (hi < 0 || lo < 0) return null;
        return (hi << 5) | lo;
    }
}

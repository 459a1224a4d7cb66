package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.auth.dkim.DkimKeys;
import dev.sealpost.core.mail.Domain;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sealpost dkim keygen|list|retire|remove|rotate}: the DKIM signing keys of our domains,
 * kept in the database (RFC 6376, RFC 8463). A key is {@code active} (signs new mail),
 * {@code retiring} (no longer signs; its record stays published so that mail in transit still
 * verifies) or {@code retired}; only a key that no longer signs can be removed.
 */
@Command(name = "dkim", description = "Manage the DKIM signing keys of local domains.", mixinStandardHelpOptions = true)
public final class DkimCommand {
    /** RFC 8301 §3.2: signers use at least 1024 bits, SHOULD use 2048; verifiers need not go past 4096. */
    static final int MIN_RSA_BITS = 1024;
    static final int MAX_RSA_BITS = 4096;
    static final int DEFAULT_RSA_BITS = 2048;
    /** How long a retired key's record should stay published: mail can sit in queues for days (RFC 5321 §4.5.4.1). */
    static final String KEEP_ADVICE = "keep its DNS record published for at least 7 more days, so that mail in transit still verifies";

    @Mixin
    StoreOptions store;

    /** The key types on the command line. */
    enum KeyType {
        rsa("rsa-sha256"), ed25519("ed25519-sha256");

        final String algorithm;

        KeyType(String algorithm) {
            this.algorithm = algorithm;
        }
    }

    @Command(name = "keygen", description = "Generate a signing key, store it (active) and print the DNS record to publish.")
    int keygen(@Option(names = "--domain", required = true, paramLabel = "DOMAIN") String domain,
               @Option(names = "--selector", required = true, paramLabel = "SELECTOR") String selector,
               @Option(names = "--algorithm", required = true, paramLabel = "rsa|ed25519",
                       description = "rsa (rsa-sha256) or ed25519 (ed25519-sha256, RFC 8463).") KeyType type,
               @Option(names = "--bits", paramLabel = "N", description = "RSA key size (default 2048).") Integer bits) {
        String d = ascii(domain);
        try (Store s = store.open()) {
            requireLocal(s, d);
            Directory.DkimKey k = generate(s.directory(), d, selector, type, bits);
            System.out.println("added " + type + " key " + k.selector() + " for " + d + "; publish this record:");
            System.out.println(zoneLine(k));
        }
        return 0;
    }

    @Command(name = "list", description = "List the keys: domain, selector, algorithm, state, created, record.")
    int list(@Option(names = "--domain", paramLabel = "DOMAIN") String domain) {
        try (Store s = store.open()) {
            List<String> domains;
            if (domain != null) {
                String d = ascii(domain);
                requireLocal(s, d);
                domains = List.of(d);
            } else {
                domains = s.directory().domains();
            }
            int shown = 0;
            for (String d : domains) {
                for (Directory.DkimKey k : s.directory().dkimKeys(d)) {
                    System.out.printf("%s\t%s\t%s\t%s\t%s\t%s%n", d, k.selector(), k.algorithm(), k.state(),
                            DateTimeFormatter.ISO_INSTANT.format(k.createdAt()), k.publicRecord());
                    shown++;
                }
            }
            if (shown == 0) {
                System.out.println("no DKIM keys" + (domain != null ? " for " + domains.get(0) : "")
                        + " (create them with 'sealpost dkim keygen --domain DOMAIN' or 'domain add DOMAIN')");
            }
        }
        return 0;
    }

    @Command(name = "retire", description = "Stop signing with a key; its DNS record should stay published for a while.")
    int retire(@Option(names = "--domain", required = true, paramLabel = "DOMAIN") String domain,
               @Option(names = "--selector", required = true, paramLabel = "SELECTOR") String selector) {
        String d = ascii(domain);
        try (Store s = store.open()) {
            Directory.DkimKey k = key(s, d, selector);
            if (!k.state().equals(Directory.DKIM_ACTIVE)) {
                System.out.println("key " + k.selector() + " for " + d + " is already " + k.state());
                return 0;
            }
            retireKey(s.directory(), k);
            if (s.directory().signingKeys(d).isEmpty()) {
                System.out.println("warning: " + d + " has no active key left: its mail is no longer DKIM-signed");
            }
        }
        return 0;
    }

    @Command(name = "remove", description = "Delete a retiring or retired key (remove its DNS record too).")
    int remove(@Option(names = "--domain", required = true, paramLabel = "DOMAIN") String domain,
               @Option(names = "--selector", required = true, paramLabel = "SELECTOR") String selector) {
        String d = ascii(domain);
        try (Store s = store.open()) {
            Directory.DkimKey k = key(s, d, selector);
            if (k.state().equals(Directory.DKIM_ACTIVE)) {
                throw new Main.UserError("key " + k.selector() + " for " + d + " is active (it signs mail): "
                        + "run 'sealpost dkim retire' first, wait at least 7 days, then remove it");
            }
            if (!s.directory().removeDkimKey(d, k.selector())) throw new Main.UserError("no DKIM key " + k.selector() + " for " + d);
            System.out.println("removed key " + k.selector() + " for " + d + "; now delete the DNS record " + k.recordName() + ".");
        }
        return 0;
    }

    @Command(name = "rotate", description = "Generate a new active key and retire the active keys of the same algorithm.")
    int rotate(@Option(names = "--domain", required = true, paramLabel = "DOMAIN") String domain,
               @Option(names = "--algorithm", required = true, paramLabel = "rsa|ed25519") KeyType type,
               @Option(names = "--selector", required = true, paramLabel = "NEW", description = "The new key's selector.") String selector,
               @Option(names = "--bits", paramLabel = "N", description = "RSA key size (default 2048).") Integer bits) {
        String d = ascii(domain);
        try (Store s = store.open()) {
            requireLocal(s, d);
            List<Directory.DkimKey> old = s.directory().signingKeys(d).stream()
                    .filter(k -> k.algorithm().equals(type.algorithm)).toList();
            Directory.DkimKey k = generate(s.directory(), d, selector, type, bits);
            System.out.println("added " + type + " key " + k.selector() + " for " + d + "; publish this record now:");
            System.out.println(zoneLine(k));
            for (Directory.DkimKey o : old) retireKey(s.directory(), o);
        }
        return 0;
    }

    private static void retireKey(Directory dir, Directory.DkimKey k) {
        if (!dir.setDkimKeyState(k.domain(), k.selector(), Directory.DKIM_RETIRING)) {
            throw new Main.UserError("no DKIM key " + k.selector() + " for " + k.domain());
        }
        System.out.println("retired key " + k.selector() + " for " + k.domain() + ": it no longer signs; " + KEEP_ADVICE
                + " (" + k.recordName() + "), then run 'sealpost dkim remove --domain " + k.domain()
                + " --selector " + k.selector() + "'");
    }

    private static Directory.DkimKey key(Store s, String domain, String selector) {
        requireLocal(s, domain);
        String sel = selector.strip().toLowerCase(Locale.ROOT);
        return s.directory().dkimKeys(domain).stream().filter(k -> k.selector().equals(sel)).findFirst()
                .orElseThrow(() -> new Main.UserError("no DKIM key " + sel + " for " + domain));
    }

    static String ascii(String domain) {
        String d = domain.strip();
        if (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        String in = d;
        return Domain.toAscii(in).orElseThrow(() -> new Main.UserError("not a domain name: " + domain));
    }

    static void requireLocal(Store s, String asciiDomain) {
        if (!s.directory().isLocalDomain(asciiDomain)) {
            throw new Main.UserError("domain " + asciiDomain + " is not a local domain: add it first");
        }
    }

    /**
     * Generates a key pair and stores it as an active key.
     *
     * @param bits RSA key size, null for the default; must be null for Ed25519
     */
    static Directory.DkimKey generate(Directory dir, String domain, String selector, KeyType type, Integer bits) {
        KeyPair pair;
        if (type == KeyType.rsa) {
            int n = bits == null ? DEFAULT_RSA_BITS : bits;
            if (n < MIN_RSA_BITS || n > MAX_RSA_BITS) {
                throw new Main.UserError("--bits must be between " + MIN_RSA_BITS + " and " + MAX_RSA_BITS + " (RFC 8301 §3.2), got " + n);
            }
            if (n < DEFAULT_RSA_BITS) System.out.println("warning: RSA keys under 2048 bits are weak (RFC 8301 §3.2 recommends 2048)");
            pair = DkimKeys.generateRsa(n);
        } else {
            if (bits != null) throw new Main.UserError("--bits applies to RSA keys only (Ed25519 keys are always 256 bits)");
            pair = DkimKeys.generateEd25519();
        }
        // PKCS#8 DER of the private key; the record carries the public key (RFC 6376 §3.6.1, RFC 8463 §4.2)
        return dir.addDkimKey(domain, selector, type.algorithm, pair.getPrivate().getEncoded(), DkimKeys.keyRecord(pair.getPublic()));
    }

    /**
     * {@code domain add --dkim}: an RSA-2048 key {@code rsa<yyyymm>} and an Ed25519 key
     * {@code ed<yyyymm>}, both active, so that mail is dual-signed (RFC 8463 §4: RSA for every
     * verifier, Ed25519 for those that know it). Prints the records to publish.
     */
    static List<Directory.DkimKey> generateDefaults(Directory dir, String domain, Clock clock) {
        String ym = YearMonth.now(clock.withZone(ZoneOffset.UTC)).format(DateTimeFormatter.ofPattern("yyyyMM"));
        List<Directory.DkimKey> out = new ArrayList<>();
        out.add(generate(dir, domain, "rsa" + ym, KeyType.rsa, null));
        out.add(generate(dir, domain, "ed" + ym, KeyType.ed25519, null));
        return out;
    }

    /** The key's record in zone-file syntax: {@code sel._domainkey.dom. IN TXT "..." "..."}. */
    static String zoneLine(Directory.DkimKey k) {
        return txtLine(k.recordName() + ".", k.publicRecord());
    }

    /** A TXT record line; the value split into character-strings of at most 255 octets (RFC 1035 §3.3.14, RFC 6376 §3.6.2.2). */
    static String txtLine(String fqdn, String value) {
        StringBuilder sb = new StringBuilder(fqdn).append(" IN TXT");
        for (String part : txtStrings(value)) sb.append(" \"").append(part.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        return sb.toString();
    }

    /** The value cut into pieces of at most 255 octets, never inside a UTF-8 sequence. */
    static List<String> txtStrings(String value) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < value.length() || out.isEmpty()) {
            int end = start;
            int octets = 0;
            while (end < value.length()) {
                int cp = value.codePointAt(end);
                int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
                if (octets + len > 255) break;
                octets += len;
                end += Character.charCount(cp);
            }
            out.add(value.substring(start, end));
            start = end;
            if (start >= value.length()) break;
        }
        return out;
    }
}

package dev.sealpost.app.cli;

import dev.sealpost.secure.openpgp.KeyProfile;
import dev.sealpost.secure.openpgp.OpenPgpDecryption;
import dev.sealpost.secure.openpgp.OpenPgpDecryptor;
import dev.sealpost.secure.openpgp.OpenPgpEncryptor;
import dev.sealpost.secure.openpgp.OpenPgpException;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.secure.openpgp.OpenPgpSigner;
import dev.sealpost.secure.openpgp.OpenPgpVerification;
import dev.sealpost.secure.openpgp.OpenPgpVerifier;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code sealpost sop ...}: the Stateless OpenPGP command line (draft-dkg-openpgp-stateless-cli)
 * over the engine in {@code secure.openpgp}, so that any SOP test suite or peer can be cross-run
 * against ours. Subcommands: version, list-profiles, generate-key, extract-cert, sign, verify,
 * encrypt, decrypt, inline-sign, inline-verify, armor, dearmor. Failures exit with SOP's codes
 * ({@link Exit}); the arguments are parsed here, not by picocli, so that an unknown option is 37
 * and an unknown subcommand 69, as the draft says.
 */
@Command(name = "sop", description = "Stateless OpenPGP (draft-dkg-openpgp-stateless-cli): sop SUBCOMMAND [OPTIONS] [ARGS].")
public final class SopCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", hidden = true)
    List<String> ignored;

    @Override
    public Integer call() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf("sop");
        List<String> args = all.subList(at + 1, all.size());
        PrintStream out = System.out;
        int code = run(args, System.in, out, System.err, Clock.systemUTC());
        out.flush();
        return code;
    }

    /** SOP's exit codes (the draft's "Failure Modes"). */
    public enum Exit {
        OK(0), UNSPECIFIED(1), NO_SIGNATURE(3), UNSUPPORTED_ASYMMETRIC_ALGO(13), CERT_CANNOT_ENCRYPT(17), MISSING_ARG(19),
        INCOMPLETE_VERIFICATION(23), CANNOT_DECRYPT(29), PASSWORD_NOT_HUMAN_READABLE(31), UNSUPPORTED_OPTION(37), BAD_DATA(41),
        EXPECTED_TEXT(53), OUTPUT_EXISTS(59), MISSING_INPUT(61), KEY_IS_PROTECTED(67), UNSUPPORTED_SUBCOMMAND(69),
        UNSUPPORTED_SPECIAL_PREFIX(71), AMBIGUOUS_INPUT(73), KEY_CANNOT_SIGN(79), INCOMPATIBLE_OPTIONS(83), UNSUPPORTED_PROFILE(89);

        public final int code;

        Exit(int code) {
            this.code = code;
        }
    }

    /** A failure with its SOP exit code. */
    static final class SopError extends Exception {
        final Exit exit;

        SopError(Exit exit, String message) {
            super(message, null, false, false);
            this.exit = exit;
        }
    }

    /** Options that take a value, per subcommand; flags are listed without "=". */
    private static final Map<String, Set<String>> OPTIONS = Map.ofEntries(
            Map.entry("version", Set.of("--backend", "--extended", "--sop-spec")),
            Map.entry("list-profiles", Set.of()),
            Map.entry("generate-key", Set.of("--armor", "--no-armor", "--profile=")),
            Map.entry("extract-cert", Set.of("--armor", "--no-armor")),
            Map.entry("sign", Set.of("--armor", "--no-armor", "--as=", "--micalg-out=")),
            Map.entry("verify", Set.of("--not-before=", "--not-after=")),
            Map.entry("encrypt", Set.of("--armor", "--no-armor", "--as=", "--sign-with=", "--profile=", "--with-password=")),
            Map.entry("decrypt", Set.of("--verify-with=", "--verifications-out=", "--verify-out=", "--with-password=",
                    "--verify-not-before=", "--verify-not-after=")),
            Map.entry("inline-sign", Set.of("--armor", "--no-armor", "--as=")),
            Map.entry("inline-verify", Set.of("--not-before=", "--not-after=", "--verifications-out=")),
            Map.entry("armor", Set.of("--label=")),
            Map.entry("dearmor", Set.of()));

    /** A parsed command line: options (repeatable) and positional arguments. */
    private record Line(String sub, Map<String, List<String>> options, List<String> args) {
        boolean has(String o) {
            return options.containsKey(o);
        }

        String one(String o, String dflt) {
            List<String> v = options.get(o);
            return v == null ? dflt : v.getLast();
        }

        List<String> all(String o) {
            return options.getOrDefault(o, List.of());
        }

        boolean armor() {
            return !has("--no-armor");
        }
    }

    private static Line parse(List<String> argv) throws SopError {
        if (argv.isEmpty()) throw new SopError(Exit.MISSING_ARG, "missing subcommand");
        String sub = argv.getFirst();
        Set<String> allowed = OPTIONS.get(sub);
        if (allowed == null) throw new SopError(Exit.UNSUPPORTED_SUBCOMMAND, "unsupported subcommand " + sub);
        Map<String, List<String>> options = new HashMap<>();
        List<String> args = new ArrayList<>();
        boolean endOfOptions = false;
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (endOfOptions || !a.startsWith("--")) {
                args.add(a);
                continue;
            }
            if (a.equals("--")) {
                endOfOptions = true;
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            String value;
            if (allowed.contains(name + "=")) {
                if (eq >= 0) value = a.substring(eq + 1);
                else if (i + 1 < argv.size()) value = argv.get(++i);
                else throw new SopError(Exit.MISSING_ARG, "option " + name + " needs a value");
            } else if (allowed.contains(name) && eq < 0) {
                value = "";
            } else {
                throw new SopError(Exit.UNSUPPORTED_OPTION, "unsupported option " + name + " for " + sub);
            }
            options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return new Line(sub, options, args);
    }

    /** Runs one SOP command; returns its exit code. Tests call this in-process. */
    public static int run(List<String> argv, InputStream stdin, OutputStream stdout, PrintStream stderr, Clock clock) {
        try {
            Line line = parse(argv);
            byte[] result = dispatch(line, stdin, clock, stderr);
            stdout.write(result);
            stdout.flush();
            return Exit.OK.code;
        } catch (SopError e) {
            stderr.println("sop: " + e.getMessage());
            return e.exit.code;
        } catch (IOException e) {
            stderr.println("sop: " + e.getMessage());
            return Exit.UNSPECIFIED.code;
        }
    }

    private static byte[] dispatch(Line l, InputStream stdin, Clock clock, PrintStream err) throws SopError, IOException {
        return switch (l.sub()) {
            case "version" -> version(l);
            case "list-profiles" -> listProfiles(l);
            case "generate-key" -> generateKey(l, clock);
            case "extract-cert" -> OpenPgpKeys.encode(key(stdin.readAllBytes(), "standard input").toCertificate(), l.armor());
            case "sign" -> sign(l, stdin, clock);
            case "verify" -> verify(l, stdin, clock);
            case "encrypt" -> encrypt(l, stdin, clock);
            case "decrypt" -> decrypt(l, stdin, clock, err);
            case "inline-sign" -> inlineSign(l, stdin, clock);
            case "inline-verify" -> inlineVerify(l, stdin, clock);
            case "armor" -> armor(stdin.readAllBytes());
            case "dearmor" -> dearmor(stdin.readAllBytes());
            default -> throw new SopError(Exit.UNSUPPORTED_SUBCOMMAND, l.sub());
        };
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] version(Line l) {
        if (l.has("--backend")) {
            String v = org.bouncycastle.openpgp.api.OpenPGPApi.class.getPackage().getImplementationVersion();
            return text("Bouncy Castle bcpg" + (v == null ? "" : " " + v) + "\n");
        }
        if (l.has("--sop-spec")) return text("draft-dkg-openpgp-stateless-cli-10\n");
        if (l.has("--extended")) return text("sealpost-sop 0.1.0\nBouncy Castle OpenPGP (bcpg)\n");
        return text("sealpost-sop 0.1.0\n");
    }

    private static byte[] listProfiles(Line l) throws SopError {
        if (l.args().isEmpty()) throw new SopError(Exit.MISSING_ARG, "list-profiles needs a subcommand");
        return switch (l.args().getFirst()) {
            case "generate-key" -> text("default: v4 Ed25519 + Curve25519 (what today's peers read)\n"
                    + "v4-rsa3072: v4 RSA-3072\n"
                    + "rfc9580: v6 Ed25519 + X25519 (RFC 9580)\n");
            case "encrypt" -> text("default: SEIPD v1 for v4 recipients, v2 (AES-256-OCB) when every recipient is v6\n");
            default -> throw new SopError(Exit.UNSUPPORTED_PROFILE, "no profiles for " + l.args().getFirst());
        };
    }

    private static KeyProfile profile(String name) throws SopError {
        return switch (name) {
            case "default", "rfc4880", "v4-curve25519" -> KeyProfile.V4_CURVE25519;
            case "v4-rsa3072" -> KeyProfile.V4_RSA3072;
            case "rfc9580", "v6" -> KeyProfile.V6_CURVE25519;
            default -> throw new SopError(Exit.UNSUPPORTED_PROFILE, "unknown profile " + name);
        };
    }

    private static byte[] generateKey(Line l, Clock clock) throws SopError, IOException {
        KeyProfile p = profile(l.one("--profile", "default"));
        try {
            return OpenPgpKeys.encode(OpenPgpKeys.generate(p, l.args(), clock), l.armor());
        } catch (org.bouncycastle.openpgp.PGPException e) {
            throw new SopError(Exit.UNSPECIFIED, "key generation failed: " + e.getMessage());
        }
    }

    /** Reads an indirect input: a file name, or @ENV:NAME (the draft's special designators); @FD: is not supported. */
    private static byte[] input(String designator) throws SopError {
        if (designator.startsWith("@ENV:")) {
            String v = System.getenv(designator.substring(5));
            if (v == null) throw new SopError(Exit.MISSING_INPUT, "environment variable " + designator.substring(5) + " not set");
            return text(v);
        }
        if (designator.startsWith("@")) throw new SopError(Exit.UNSUPPORTED_SPECIAL_PREFIX, "unsupported special designator " + designator);
        Path p = Path.of(designator);
        if (!Files.isRegularFile(p)) throw new SopError(Exit.MISSING_INPUT, "input file " + designator + " does not exist");
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new SopError(Exit.MISSING_INPUT, "cannot read " + designator + ": " + e.getMessage());
        }
    }

    /** Writes an indirect output, which must not exist yet (59). */
    private static void output(String designator, byte[] data) throws SopError {
        if (designator.startsWith("@")) throw new SopError(Exit.UNSUPPORTED_SPECIAL_PREFIX, "unsupported special designator " + designator);
        Path p = Path.of(designator);
        if (Files.exists(p)) throw new SopError(Exit.OUTPUT_EXISTS, "output file " + designator + " already exists");
        try {
            Files.write(p, data);
        } catch (IOException e) {
            throw new SopError(Exit.UNSPECIFIED, "cannot write " + designator + ": " + e.getMessage());
        }
    }

    private static OpenPGPKey key(byte[] data, String where) throws SopError {
        try {
            OpenPGPKey k = OpenPgpKeys.readKey(data);
            for (var sk : k.getSecretKeys().values()) {
                if (sk.isLocked()) throw new SopError(Exit.KEY_IS_PROTECTED, "key in " + where + " is password-protected (--with-key-password is not supported)");
            }
            return k;
        } catch (OpenPgpException e) {
            throw new SopError(e.reason() == OpenPgpException.Reason.UNSUPPORTED_KEY ? Exit.UNSUPPORTED_ASYMMETRIC_ALGO : Exit.BAD_DATA,
                    where + ": " + e.getMessage());
        }
    }

    private static List<OpenPGPKey> keys(List<String> designators) throws SopError {
        List<OpenPGPKey> out = new ArrayList<>();
        for (String d : designators) out.add(key(input(d), d));
        return out;
    }

    private static List<OpenPGPCertificate> certs(List<String> designators) throws SopError {
        List<OpenPGPCertificate> out = new ArrayList<>();
        for (String d : designators) {
            try {
                out.addAll(OpenPgpKeys.readCertificates(input(d)));
            } catch (OpenPgpException e) {
                throw new SopError(e.reason() == OpenPgpException.Reason.UNSUPPORTED_KEY ? Exit.UNSUPPORTED_ASYMMETRIC_ALGO : Exit.BAD_DATA,
                        d + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static OpenPgpSigner.Mode mode(Line l) throws SopError {
        return switch (l.one("--as", "binary")) {
            case "binary" -> OpenPgpSigner.Mode.BINARY;
            case "text" -> OpenPgpSigner.Mode.TEXT;
            default -> throw new SopError(Exit.UNSUPPORTED_OPTION, "--as=" + l.one("--as", ""));
        };
    }

    private static void requireText(byte[] data) throws SopError {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data));
        } catch (CharacterCodingException e) {
            throw new SopError(Exit.EXPECTED_TEXT, "input is not UTF-8 text");
        }
    }

    private static SopError signError(OpenPgpException e) {
        return new SopError(e.reason() == OpenPgpException.Reason.KEY_CANNOT_SIGN ? Exit.KEY_CANNOT_SIGN : Exit.BAD_DATA, e.getMessage());
    }

    private static byte[] sign(Line l, InputStream stdin, Clock clock) throws SopError, IOException {
        if (l.args().isEmpty()) throw new SopError(Exit.MISSING_ARG, "sign needs at least one KEY");
        OpenPgpSigner.Mode mode = mode(l);
        List<OpenPGPKey> keys = keys(l.args());
        byte[] data = stdin.readAllBytes();
        if (mode == OpenPgpSigner.Mode.TEXT) requireText(data);
        try {
            OpenPgpSigner signer = new OpenPgpSigner(clock);
            var sigs = signer.signDetachedSignatures(keys, data, mode);
            if (l.has("--micalg-out")) {
                output(l.one("--micalg-out", ""), text(dev.sealpost.secure.openpgp.PgpMime.micalgOf(sigs.getFirst().getHashAlgorithm())));
            }
            return signer.signDetached(keys, data, mode, l.armor());
        } catch (OpenPgpException e) {
            throw signError(e);
        }
    }

    /** The VERIFICATIONS line format: time, signing key, primary key, mode. */
    static String line(OpenPgpVerification.Good g) {
        return g.created().truncatedTo(ChronoUnit.SECONDS) + " " + g.signingKeyFingerprint() + " " + g.primaryFingerprint()
                + " mode:" + (g.textMode() ? "text" : "binary") + "\n";
    }

    private static Instant time(String v, Instant dflt, Clock clock) throws SopError {
        if (v == null || v.equals("-")) return dflt;
        if (v.equals("now")) return clock.instant();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (RuntimeException e) {
            try {
                return Instant.parse(v);
            } catch (RuntimeException e2) {
                throw new SopError(Exit.UNSUPPORTED_OPTION, "cannot read the date " + v);
            }
        }
    }

    private static String goodLines(List<OpenPgpVerification> vs, Instant notBefore, Instant notAfter) {
        StringBuilder sb = new StringBuilder();
        for (OpenPgpVerification v : vs) {
            if (v instanceof OpenPgpVerification.Good g && !g.created().isBefore(notBefore) && !g.created().isAfter(notAfter)) sb.append(line(g));
        }
        return sb.toString();
    }

    private static byte[] verify(Line l, InputStream stdin, Clock clock) throws SopError, IOException {
        if (l.args().size() < 2) throw new SopError(Exit.MISSING_ARG, "verify needs SIGNATURES and at least one CERTS");
        byte[] sigs = input(l.args().getFirst());
        List<OpenPGPCertificate> certs = certs(l.args().subList(1, l.args().size()));
        byte[] data = stdin.readAllBytes();
        List<OpenPgpVerification> vs = new OpenPgpVerifier().verifyDetached(certs, sigs, data);
        if (vs.size() == 1 && vs.getFirst() instanceof OpenPgpVerification.Bad b && b.why() == OpenPgpVerification.Reason.MALFORMED
                && b.issuer().isEmpty()) {
            throw new SopError(Exit.BAD_DATA, "SIGNATURES: " + b.reason());
        }
        String out = goodLines(vs, time(l.one("--not-before", null), Instant.MIN, clock), time(l.one("--not-after", null), clock.instant(), clock));
        if (out.isEmpty()) throw new SopError(Exit.NO_SIGNATURE, "no acceptable signature");
        return text(out);
    }

    private static byte[] encrypt(Line l, InputStream stdin, Clock clock) throws SopError, IOException {
        if (l.has("--profile") && !l.one("--profile", "").equals("default")) throw new SopError(Exit.UNSUPPORTED_PROFILE, l.one("--profile", ""));
        List<char[]> passwords = new ArrayList<>();
        for (String d : l.all("--with-password")) {
            String pw = new String(input(d), StandardCharsets.UTF_8);
            // the draft: a password for encryption must be human-readable UTF-8 without surrounding white space
            requireText(input(d));
            if (!pw.equals(pw.strip()) || pw.isEmpty()) throw new SopError(Exit.PASSWORD_NOT_HUMAN_READABLE, "password with leading or trailing white space");
            passwords.add(pw.toCharArray());
        }
        if (l.args().isEmpty() && passwords.isEmpty()) throw new SopError(Exit.MISSING_ARG, "encrypt needs at least one CERTS or --with-password");
        OpenPgpSigner.Mode mode = mode(l);
        List<OpenPGPKey> signers = keys(l.all("--sign-with"));
        List<OpenPGPCertificate> recipients = certs(l.args());
        byte[] data = stdin.readAllBytes();
        if (mode == OpenPgpSigner.Mode.TEXT) requireText(data);
        try {
            return new OpenPgpEncryptor(clock).encrypt(recipients, passwords, signers, data, mode, l.armor());
        } catch (OpenPgpException e) {
            throw switch (e.reason()) {
                case KEY_CANNOT_SIGN -> new SopError(Exit.KEY_CANNOT_SIGN, e.getMessage());
                case UNSUPPORTED_KEY -> new SopError(Exit.UNSUPPORTED_ASYMMETRIC_ALGO, e.getMessage());
                default -> new SopError(Exit.CERT_CANNOT_ENCRYPT, e.getMessage());
            };
        }
    }

    private static byte[] decrypt(Line l, InputStream stdin, Clock clock, PrintStream err) throws SopError, IOException {
        String verOut = l.one("--verifications-out", l.one("--verify-out", null));
        List<String> verifyWith = l.all("--verify-with");
        if (!verifyWith.isEmpty() && verOut == null) {
            throw new SopError(Exit.INCOMPLETE_VERIFICATION, "--verify-with needs --verifications-out");
        }
        if (verOut != null && Files.exists(Path.of(verOut))) throw new SopError(Exit.OUTPUT_EXISTS, "output file " + verOut + " already exists");
        List<char[]> passwords = new ArrayList<>();
        for (String d : l.all("--with-password")) {
            // the draft: trailing white space is removed from a password read from a file
            passwords.add(new String(input(d), StandardCharsets.UTF_8).stripTrailing().toCharArray());
        }
        if (l.args().isEmpty() && passwords.isEmpty()) throw new SopError(Exit.MISSING_ARG, "decrypt needs a KEY or --with-password");
        List<OpenPGPKey> keys = keys(l.args());
        List<OpenPGPCertificate> certs = certs(verifyWith);
        OpenPgpDecryption d = new OpenPgpDecryptor().decrypt(keys, certs, passwords, stdin.readAllBytes());
        return switch (d) {
            case OpenPgpDecryption.Failed f -> throw new SopError(f.why() == OpenPgpDecryption.Reason.BAD_DATA ? Exit.BAD_DATA : Exit.CANNOT_DECRYPT,
                    "cannot decrypt: " + f.why() + " " + f.detail());
            case OpenPgpDecryption.Decrypted ok -> {
                if (!ok.encrypted()) throw new SopError(Exit.BAD_DATA, "the message is not encrypted");
                for (OpenPgpVerification v : ok.verifications()) {
                    if (v instanceof OpenPgpVerification.Bad b) err.println("sop: signature not accepted (" + b.why() + "): " + b.reason());
                }
                if (verOut != null) {
                    output(verOut, text(goodLines(ok.verifications(), time(l.one("--verify-not-before", null), Instant.MIN, clock),
                            time(l.one("--verify-not-after", null), clock.instant(), clock))));
                }
                yield ok.plaintext();
            }
        };
    }

    private static byte[] inlineSign(Line l, InputStream stdin, Clock clock) throws SopError, IOException {
        if (l.args().isEmpty()) throw new SopError(Exit.MISSING_ARG, "inline-sign needs at least one KEY");
        String as = l.one("--as", "binary");
        if (as.equals("clearsigned") && !l.armor()) throw new SopError(Exit.INCOMPATIBLE_OPTIONS, "--as=clearsigned with --no-armor");
        List<OpenPGPKey> keys = keys(l.args());
        byte[] data = stdin.readAllBytes();
        OpenPgpSigner signer = new OpenPgpSigner(clock);
        try {
            return switch (as) {
                case "binary" -> signer.signInline(keys, data, OpenPgpSigner.Mode.BINARY, l.armor());
                case "text" -> {
                    requireText(data);
                    yield signer.signInline(keys, data, OpenPgpSigner.Mode.TEXT, l.armor());
                }
                case "clearsigned" -> {
                    requireText(data);
                    yield signer.signCleartext(keys, data);
                }
                default -> throw new SopError(Exit.UNSUPPORTED_OPTION, "--as=" + as);
            };
        } catch (OpenPgpException e) {
            throw signError(e);
        }
    }

    private static byte[] inlineVerify(Line l, InputStream stdin, Clock clock) throws SopError, IOException {
        if (l.args().isEmpty()) throw new SopError(Exit.MISSING_ARG, "inline-verify needs at least one CERTS");
        List<OpenPGPCertificate> certs = certs(l.args());
        String verOut = l.one("--verifications-out", null);
        if (verOut != null && Files.exists(Path.of(verOut))) throw new SopError(Exit.OUTPUT_EXISTS, "output file " + verOut + " already exists");
        OpenPgpVerifier.Inline r = new OpenPgpVerifier().verifyInline(certs, stdin.readAllBytes());
        String lines = goodLines(r.verifications(), time(l.one("--not-before", null), Instant.MIN, clock),
                time(l.one("--not-after", null), clock.instant(), clock));
        if (lines.isEmpty()) {
            boolean malformed = r.verifications().stream().allMatch(v -> v instanceof OpenPgpVerification.Bad b
                    && b.why() == OpenPgpVerification.Reason.MALFORMED && b.issuer().isEmpty()) && r.content().length == 0;
            throw new SopError(malformed ? Exit.BAD_DATA : Exit.NO_SIGNATURE, "no acceptable signature");
        }
        if (verOut != null) output(verOut, text(lines));
        return r.content();
    }

    private static byte[] armor(byte[] data) throws SopError, IOException {
        if (OpenPgpKeys.isArmored(data)) return data; // the draft: armor is idempotent
        if (data.length == 0) throw new SopError(Exit.BAD_DATA, "no input");
        return OpenPgpKeys.armor(data);
    }

    private static byte[] dearmor(byte[] data) throws SopError {
        try {
            return OpenPgpKeys.dearmor(data);
        } catch (OpenPgpException e) {
            throw new SopError(Exit.BAD_DATA, e.getMessage());
        }
    }

}

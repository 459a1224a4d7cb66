package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.evidence.json.CanonicalJson;
import dev.sealpost.evidence.log.AuditReport;
import dev.sealpost.evidence.log.EvidenceLog;
import dev.sealpost.evidence.receipt.Receipts;
import dev.sealpost.evidence.sign.Ed25519PublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sealpost evidence show|proof|consistency|receipt|verify|audit|log-key|key}: the evidence log
 * (issue 17) in {@code <data>/evidence}. Beside a running server the log is opened read-only
 * (only the server appends and publishes checkpoints); with the server stopped, {@code proof}
 * may publish a checkpoint for the current size. JSON output is RFC 8785 canonical JSON.
 */
@Command(name = "evidence", description = "Read, prove and audit the evidence log; verify receipts offline.", mixinStandardHelpOptions = true)
public final class EvidenceCommand {
    @Mixin
    StoreOptions store;

    @Command(name = "show", description = "Print a record (canonical JSON with --json), or every record of a message.")
    int show(@Parameters(paramLabel = "ID", arity = "0..1") String id,
             @Option(names = "--message-id", paramLabel = "MID", description = "All records of the message with this Message-ID.") String messageId,
             @Option(names = "--json", description = "Canonical JSON.") boolean json) throws IOException {
        if ((id == null) == (messageId == null)) throw new Main.UserError("give a record ID or --message-id MID");
        try (EvidenceLog log = openLog()) {
            if (id != null) {
                EvidenceLog.Stored s = log.read(id).orElseThrow(() -> new Main.UserError("no evidence record " + id));
                if (json) System.out.println(new String(s.bytes(), StandardCharsets.UTF_8));
                else printHuman(s);
                return 0;
            }
            List<EvidenceLog.Stored> all = log.findByMessageId(messageId);
            if (json) {
                List<Object> arr = new ArrayList<>();
                for (EvidenceLog.Stored s : all) arr.add(s.record().toJson());
                System.out.println(CanonicalJson.string(arr));
            } else {
                if (all.isEmpty()) System.out.println("no records for " + messageId);
                for (EvidenceLog.Stored s : all) printHuman(s);
            }
        }
        return 0;
    }

    @Command(name = "proof", description = "The RFC 9162 inclusion proof of a record against a signed checkpoint.")
    int proof(@Parameters(paramLabel = "ID") String id,
              @Option(names = "--tree-size", paramLabel = "N", description = "Prove against the checkpoint of this size (default: the latest covering one).") Long treeSize,
              @Option(names = "--json", description = "JSON: leaf_index, tree_size, leaf_hash, root_hash, inclusion_path, checkpoint.") boolean json) throws IOException {
        try (EvidenceLog log = openLog()) {
            long index = log.indexOf(id).orElseThrow(() -> new Main.UserError("no evidence record " + id));
            Map<String, Object> p;
            try {
                p = Receipts.proof(log, index, treeSize);
            } catch (IllegalArgumentException e) {
                throw new Main.UserError(e.getMessage());
            } catch (IOException e) {
                throw new Main.UserError(e.getMessage() + (log.readOnly() ? " (the server publishes checkpoints)" : ""));
            }
            if (json) {
                System.out.println(CanonicalJson.string(p));
            } else {
                System.out.println("record " + id + " is leaf " + p.get("leaf_index") + " of the tree of " + p.get("tree_size"));
                System.out.println("leaf hash: " + p.get("leaf_hash"));
                System.out.println("root hash: " + p.get("root_hash"));
                for (Object h : (List<?>) p.get("inclusion_path")) System.out.println("path:      " + h);
                System.out.print("checkpoint:\n" + p.get("checkpoint"));
            }
        }
        return 0;
    }

    @Command(name = "consistency", description = "The RFC 9162 consistency proof between two tree sizes.")
    int consistency(@Parameters(index = "0", paramLabel = "OLD_SIZE") long oldSize,
                    @Parameters(index = "1", paramLabel = "NEW_SIZE") long newSize,
                    @Option(names = "--json", description = "JSON: old_size, new_size, old_root, new_root, proof.") boolean json) throws IOException {
        try (EvidenceLog log = openLog()) {
            Map<String, Object> c;
            try {
                c = Receipts.consistency(log, oldSize, newSize);
            } catch (IllegalArgumentException e) {
                throw new Main.UserError(e.getMessage());
            }
            if (json) {
                System.out.println(CanonicalJson.string(c));
            } else {
                System.out.println("old root (" + oldSize + "): " + c.get("old_root"));
                System.out.println("new root (" + newSize + "): " + c.get("new_root"));
                for (Object h : (List<?>) c.get("proof")) System.out.println("proof: " + h);
            }
        }
        return 0;
    }

    @Command(name = "receipt", description = "Export a record's receipt (record, signature, checkpoint, inclusion proof) as JSON.")
    int receipt(@Parameters(paramLabel = "ID") String id,
                @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.") Path out) throws IOException {
        try (EvidenceLog log = openLog()) {
            String json;
            try {
                json = CanonicalJson.string(Receipts.receipt(log, id, null));
            } catch (IllegalArgumentException e) {
                throw new Main.UserError(e.getMessage());
            } catch (IOException e) {
                throw new Main.UserError(e.getMessage() + (log.readOnly() ? " (the server publishes checkpoints)" : ""));
            }
            if (out != null) Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
            else System.out.println(json);
        }
        return 0;
    }

    @Command(name = "verify", description = "Verify a receipt offline with the log's public key (and the message, and the TSA's CA).")
    int verify(@Parameters(paramLabel = "RECEIPT_FILE") Path receipt,
               @Option(names = "--log-key", paramLabel = "FILE", description = "The log's verifier key (from 'evidence log-key'), and the domains' record keys (from 'evidence key list' or /evidence/keys), one a line; default: this server's.") Path logKeyFile,
               @Option(names = "--message", paramLabel = "FILE", description = "The message; its SHA-256 must be the record's.") Path message,
               @Option(names = "--tsa-ca", paramLabel = "FILE", description = "PEM CA certificate of the time-stamping authority; checks the receipt's RFC 3161 token.") Path tsaCa) throws IOException {
        Ed25519PublicKey key;
        List<Ed25519PublicKey> recordKeys = new ArrayList<>();
        String text = read(receipt);
        if (logKeyFile != null) {
            List<Ed25519PublicKey> keys = new ArrayList<>();
            for (String line : read(logKeyFile).split("\n")) {
                if (line.isBlank()) continue;
                keys.add(Ed25519PublicKey.parseVerifierKey(line).orElseThrow(() -> new Main.UserError(logKeyFile + ": not a note verifier key: " + line.strip())));
            }
            if (keys.isEmpty()) throw new Main.UserError(logKeyFile + " holds no verifier key");
            // the log key is the one named as the receipt's checkpoint origin (its first line); the others sign records
            String origin = originOf(text);
            key = keys.stream().filter(k -> k.name().equals(origin)).findFirst().orElse(keys.getFirst());
            recordKeys.addAll(keys);
        } else if (store.named()) {
            key = EvidenceLog.publicKey(store.dataDirectory()).orElseThrow(() -> new Main.UserError("no evidence log in " + store.dataDirectory()));
            for (var e : dev.sealpost.evidence.sign.RecordKeys.load(store.dataDirectory().resolve("evidence")).entries()) recordKeys.add(e.key().publicKey());
        } else {
            throw new Main.UserError("give --log-key FILE (or --data DIR / --config FILE of the server)");
        }
        byte[] msg = message == null ? null : readBytes(message);
        X509Certificate ca = tsaCa == null ? null : certificate(tsaCa);
        Receipts.Report r = Receipts.verify(text, key, recordKeys, msg, ca);
        for (Receipts.Check c : r.checks()) System.out.println((c.ok() ? "ok    " : "FAIL  ") + c.name() + ": " + c.detail());
        System.out.println(r.ok() ? "receipt verified" : "receipt NOT verified");
        return r.ok() ? 0 : 1;
    }

    @Command(name = "audit", description = "Recompute the whole tree from the stored records and compare it with every published checkpoint.")
    int audit() throws IOException {
        Path data = store.dataDirectory();
        Ed25519PublicKey key = EvidenceLog.publicKey(data).orElseThrow(() -> new Main.UserError("no evidence log in " + data));
        AuditReport a = EvidenceLog.audit(data, key);
        for (String p : a.problems()) System.out.println("PROBLEM " + p);
        System.out.println(a.records() + " records, " + a.leaves() + " leaves, " + a.checkpoints() + " checkpoints: "
                + (a.ok() ? "audit passed" : a.problems().size() + " problem(s)"));
        return a.ok() ? 0 : 1;
    }

    @Command(name = "prune", description = "Retention: remove the contents of the records older than a date, keeping their leaf hashes (the tree, checkpoints and proofs stay valid). Run with the server stopped.")
    int prune(@Option(names = "--before", required = true, paramLabel = "TIME", description = "RFC 3339 UTC time, e.g. 2026-01-01T00:00:00Z, or a number of days ago (e.g. 365d).") String before)
            throws IOException {
        java.time.Instant t;
        if (before.matches("[0-9]{1,6}d")) {
            t = java.time.Instant.now().minus(java.time.Duration.ofDays(Long.parseLong(before.substring(0, before.length() - 1))));
        } else {
            try {
                t = java.time.Instant.parse(before);
            } catch (java.time.format.DateTimeParseException e) {
                throw new Main.UserError("--before: not an RFC 3339 UTC time or a number of days (365d): " + before);
            }
        }
        try {
            long n = EvidenceLog.prune(store.dataDirectory(), t);
            System.out.println(n + " record(s) made before " + t + " pruned; their leaf hashes remain");
        } catch (EvidenceLog.LogInUseException e) {
            throw new Main.UserError("the server holds the evidence log: stop it first (" + e.getMessage() + ")");
        }
        return 0;
    }

    @Command(name = "log-key", description = "Print the log's public key as a C2SP note verifier key.")
    int logKey() throws IOException {
        Path data = store.dataDirectory();
        Ed25519PublicKey key = EvidenceLog.publicKey(data).orElseThrow(() -> new Main.UserError("no evidence log in " + data));
        System.out.println(key.verifierKey());
        return 0;
    }

    private EvidenceLog openLog() throws IOException {
        Path data = store.dataDirectory();
        try {
            return EvidenceLog.openExisting(data).orElseThrow(() -> new Main.UserError("no evidence log in " + data));
        } catch (EvidenceLog.LogInUseException e) {
            return EvidenceLog.openReadOnly(data).orElseThrow(() -> new Main.UserError("no evidence log in " + data));
        }
    }

    private static String originOf(String receiptJson) {
        if (dev.sealpost.evidence.json.JsonParser.parse(receiptJson) instanceof dev.sealpost.evidence.json.JsonParser.Parsed p
                && p.value() instanceof Map<?, ?> m && m.get("checkpoint") instanceof String note) {
            return note.split("\n", 2)[0];
        }
        return "";
    }

    @Command(name = "key", description = "The domains' record keys: each record is signed by its domain's key; keys rotate, old ones stay published.",
            mixinStandardHelpOptions = true)
    int key(@Parameters(paramLabel = "ACTION", description = "list | rotate") String action,
            @Parameters(paramLabel = "DOMAIN", arity = "0..1", description = "The domain (rotate).") String domain) throws IOException {
        Path evidenceDir = store.dataDirectory().resolve("evidence");
        switch (action) {
            case "list" -> {
                for (var e : dev.sealpost.evidence.sign.RecordKeys.load(evidenceDir).entries()) {
                    System.out.println(e.key().publicKey().verifierKey() + "  not_before=" + e.notBefore()
                            + (e.current() ? "  current" : "  not_after=" + e.notAfter()));
                }
                return 0;
            }
            case "rotate" -> {
                if (domain == null) throw new Main.UserError("evidence key rotate DOMAIN: give the domain");
                String d = domain.toLowerCase(java.util.Locale.ROOT);
                if (!dev.sealpost.evidence.sign.RecordKeys.validDomain(d)) throw new Main.UserError("not a domain name: " + domain);
                if (!Files.isDirectory(evidenceDir)) throw new Main.UserError("no evidence log in " + store.dataDirectory());
                var k = dev.sealpost.evidence.sign.RecordKeys.rotate(evidenceDir, d, java.time.Instant.now());
                // the running server re-reads the keys on its next record (keys/generation); the old key stays published
                System.out.println(k.publicKey().verifierKey());
                return 0;
            }
            default -> throw new Main.UserError("evidence key: ACTION is list or rotate, not " + action);
        }
    }

    private static void printHuman(EvidenceLog.Stored s) {
        System.out.println("record " + s.record().id() + " (leaf " + s.index() + ")");
        s.record().toJson().forEach((k, v) -> {
            if (!k.equals("id") && !k.equals("v")) System.out.println("  " + k + ": " + v);
        });
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Main.UserError("cannot read " + p + ": " + e.getMessage());
        }
    }

    private static byte[] readBytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new Main.UserError("cannot read " + p + ": " + e.getMessage());
        }
    }

    private static X509Certificate certificate(Path p) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(readBytes(p)));
        } catch (CertificateException e) {
            throw new Main.UserError(p + " is not a certificate: " + e.getMessage());
        }
    }
}

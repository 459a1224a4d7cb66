package dev.sealpost.it;

import dev.sealpost.app.tls.TlsFiles;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "250" means stored: send over several connections, SIGKILL the server process mid-load,
 * restart it on the same data, and every acknowledged message must be in the mailbox exactly
 * once (and no message at all twice).
 */
class CrashDurabilityTest {
    @TempDir
    Path dir;

    private static final Pattern LISTENING = Pattern.compile("SMTP MX listener on [^:]+:(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("X-Token: (\\S+)");

    private Process startServer(Path config, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.sealpost.app.Main", "serve", "--config", config.toString(), "--allow-root") // CI runs as root
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int awaitPort(Path log, Process p) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(end)) {
            if (Files.exists(log)) {
                Matcher m = LISTENING.matcher(Files.readString(log));
                if (m.find()) return Integer.parseInt(m.group(1));
            }
            if (!p.isAlive()) throw new AssertionError("server died:\n" + Files.readString(log));
            Thread.sleep(50);
        }
        throw new AssertionError("server did not start:\n" + Files.readString(log));
    }

    @Test
    void everyAcknowledgedMessageSurvivesSigkillExactlyOnce() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        try (Store s = Store.open(StoreConfig.sqlite(data))) {
            s.directory().addDomain("example.test");
            s.directory().addAccount("alice@example.test", "pw-not-used-here".toCharArray());
        }
        TlsFiles.writeSelfSigned(dir.resolve("cert.pem"), dir.resolve("key.pem"), "localhost", List.of("localhost"), List.of("127.0.0.1"));
        Path config = dir.resolve("sealpost.toml");
        Files.writeString(config, """
                [server]
                hostname = "mx.example.test"
                data_dir = "data"
                [tls]
                certificate = "cert.pem"
                private_key = "key.pem"
                [listeners]
                smtp = "127.0.0.1:0"
                submission = ""
                submissions = ""
                imap = ""
                imaps = ""
                pop3 = ""
                pop3s = ""
                [managesieve]
                enabled = false
                [dns]
                zone_file = "zone.txt"
                """);
        Files.writeString(dir.resolve("zone.txt"), "$TTL 300\n");
        Process first = startServer(config, dir.resolve("first.log"));
        Set<String> acked = ConcurrentHashMap.newKeySet();
        try {
            int port = awaitPort(dir.resolve("first.log"), first);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                clients.add(Thread.ofVirtual().start(() -> sendUntilBroken(port, client, acked, stop)));
            }
            Instant end = Instant.now().plus(Duration.ofSeconds(30));
            while (acked.size() < 150 && Instant.now().isBefore(end)) Thread.sleep(10);
            first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
            first.waitFor();
            stop.set(true);
            for (Thread t : clients) t.join(10_000);
        } finally {
            first.destroyForcibly();
        }
        assertThat(acked).as("messages acknowledged before the kill").hasSizeGreaterThanOrEqualTo(100);

        Process second = startServer(config, dir.resolve("second.log"));
        try {
            awaitPort(dir.resolve("second.log"), second);
            // the restarted server delivers what was spooled before the crash
            Instant end = Instant.now().plus(Duration.ofSeconds(60));
            try (Store s = Store.open(StoreConfig.sqlite(data))) {
                while (Instant.now().isBefore(end) && !s.spool().pendingLocal(1).isEmpty()) Thread.sleep(50);
                assertThat(s.spool().pendingLocal(1)).as("spool drained after restart").isEmpty();
            }
        } finally {
            second.destroy(); // SIGTERM: clean stop
            second.waitFor();
        }

        Map<String, Integer> seen = new HashMap<>();
        Map<String, String> blobOf = new HashMap<>();
        try (Store s = Store.open(StoreConfig.sqlite(data))) {
            long id = s.directory().account("alice@example.test").orElseThrow().id();
            for (Mailboxes.MessageInfo m : s.mailboxes().messages(id, "INBOX")) {
                try (InputStream in = s.blobs().open(m.blobId())) {
                    Matcher t = TOKEN.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    assertThat(t.find()).isTrue();
                    seen.merge(t.group(1), 1, Integer::sum);
                    blobOf.put(t.group(1), m.blobId());
                }
            }
        }
        for (String token : acked) {
            assertThat(seen.get(token)).as("acknowledged message " + token).isEqualTo(1);
        }
        assertThat(seen.values()).as("no message delivered twice").allMatch(n -> n == 1);
        evidenceSurvived(data, acked, blobOf);
    }

    /**
     * Issue 17: every acknowledged message has exactly one acceptance record (its sha256 is the
     * stored blob's), no record is for a message that is not there, and the audit of the log passes.
     */
    private static void evidenceSurvived(Path data, Set<String> acked, Map<String, String> blobOf) throws IOException {
        Map<String, Integer> records = new HashMap<>();
        try (dev.sealpost.evidence.log.EvidenceLog log = dev.sealpost.evidence.log.EvidenceLog.openExisting(data).orElseThrow()) {
            for (long i = 0; i < log.size(); i++) {
                var r = log.read(i).record();
                if (r.event() == dev.sealpost.evidence.record.EvidenceEvent.RECEIVED_FROM_NON_REM) records.merge(r.sha256(), 1, Integer::sum);
            }
            for (String token : acked) {
                assertThat(records.get(blobOf.get(token))).as("acceptance records of acknowledged message " + token).isEqualTo(1);
            }
            assertThat(blobOf.values()).as("every record is of a stored message").containsAll(records.keySet());
            // the clean stop (SIGTERM) signed a last checkpoint covering every record
            long size = log.size();
            assertThat(log.latestCheckpoint()).hasValueSatisfying(n -> assertThat(n).startsWith(log.origin() + "\n" + size + "\n"));
        }
        var key = dev.sealpost.evidence.log.EvidenceLog.publicKey(data).orElseThrow();
        var audit = dev.sealpost.evidence.log.EvidenceLog.audit(data, key);
        assertThat(audit.problems()).as("evidence audit").isEmpty();
        assertThat(audit.ok()).isTrue();
    }

    /** One SMTP connection sending messages back to back; records each token that got "250". */
    private static void sendUntilBroken(int port, int client, Set<String> acked, AtomicBoolean stop) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            send(out, "EHLO client" + client + ".test");
            expect(in, "250");
            for (int i = 0; !stop.get(); i++) {
                String token = "c" + client + "-m" + i;
                send(out, "MAIL FROM:<load@elsewhere.test>");
                expect(in, "250");
                send(out, "RCPT TO:<alice@example.test>");
                expect(in, "250");
                send(out, "DATA");
                expect(in, "354");
                String body = "From: load@elsewhere.test\r\nTo: alice@example.test\r\nSubject: load " + token
                        + "\r\nX-Token: " + token + "\r\n\r\n" + "x".repeat(4000) + "\r\n.";
                send(out, body);
                if (expect(in, "250")) acked.add(token);
            }
        } catch (IOException | RuntimeException e) {
            // the server was killed: expected
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one (possibly multi-line) reply; true when it has the code. */
    private static boolean expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) throw new IOException("connection closed");
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code)) throw new IOException("unexpected reply " + line);
        return true;
    }
}

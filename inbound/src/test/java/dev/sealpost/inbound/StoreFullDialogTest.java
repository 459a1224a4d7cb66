package dev.sealpost.inbound;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.smtp.server.SmtpServer;
import dev.sealpost.smtp.server.SmtpServerConfig;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full disk under a real SMTP session (docs/reliability.md findings 1 and 2): the data
 * directory is a small tmpfs filled to the last byte. End of data is answered
 * {@code 452 4.3.1} (RFC 5321 §4.2.2, RFC 3463 §3.4 X.3.1), not 421; the session goes on; nothing
 * is queued; and once the space returns the next message gets "250" on the same connection.
 * Needs root to mount the tmpfs; skipped otherwise.
 */
class StoreFullDialogTest {
    @TempDir
    Path dir;

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** Writes a file until the file system is full. */
    private static Path fill(Path mnt) throws IOException {
        Path filler = mnt.resolve("filler");
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) out.write(chunk);
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) throw full;
        }
        return filler;
    }

    /** A transcript client: {@code C:} lines are sent, {@link #expect} reads one (possibly multi-line) reply. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(20_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Reads one reply and returns its last line. */
        String reply() throws IOException {
            String line;
            do {
                line = in.readLine();
                if (line == null) return "<closed>";
            } while (line.length() > 3 && line.charAt(3) == '-');
            return line;
        }

        String c(String command) throws IOException {
            send(command + "\r\n");
            return reply();
        }

        /** MAIL, RCPT, DATA and a message with {@code bodyBytes} of body; returns the reply to the end of data (or a refused MAIL). */
        String message(int bodyBytes) throws IOException {
            String mail = c("MAIL FROM:<sender@remote.test>");
            if (!mail.startsWith("250")) return mail;
            assertThat(c("RCPT TO:<alice@example.test>")).startsWith("250");
            assertThat(c("DATA")).startsWith("354");
            StringBuilder body = new StringBuilder("Subject: full disk\r\n\r\n");
            Random r = new Random(bodyBytes);
            while (body.length() < bodyBytes) {
                for (int i = 0; i < 76; i++) body.append((char) ('a' + r.nextInt(26)));
                body.append("\r\n");
            }
            send(body + ".\r\n");
            return reply();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void fullDiskIs452AndTheSessionGoesOnUntilTheSpaceReturns() throws Exception {
        Path mnt = dir.resolve("mnt");
        Files.createDirectories(mnt);
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt.toString()) == 0,
                "cannot mount a tmpfs here (needs root)");
        try {
            Store store = JdbcStore.open(new StoreConfig(mnt.resolve("data"), null, null, null, Clock.systemUTC()),
                    pw -> PasswordHasher.hash(pw, 1000, 4096));
            try (store) {
                store.directory().addDomain("example.test");
                store.directory().addAccount("alice@example.test", "pw".toCharArray());
                var factory = new InboundHandlerFactory(store, InboundSettings.defaults(), List.of(), mnt.resolve("data/tmp"), () -> {},
                        Clock.systemUTC());
                try (SmtpServer server = new SmtpServer(SmtpServerConfig.mx("mx.example.test", new InetSocketAddress("127.0.0.1", 0), null),
                        factory)) {
                    server.start();
                    try (Client s = new Client(server.port())) {
                        assertThat(s.reply()).startsWith("220");
                        assertThat(s.c("EHLO client.test")).startsWith("250");
                        assertThat(s.message(2_000)).startsWith("250"); // before the disk fills

                        Path filler = fill(mnt);
                        long queuedBefore = store.spool().list(1000).size();
                        // small messages (rows in the database) may still fit in the WAL's free pages: "250"
                        // is fine then (it was stored), until the database needs a page more
                        int accepted = 0;
                        String reply = s.message(2_000);
                        while (reply.startsWith("250") && accepted < 50) {
                            accepted++;
                            reply = s.message(2_000);
                        }
                        assertThat(reply).isEqualTo("452 4.3.1 Insufficient system storage, try again later");
                        // the store now knows it is full: the next MAIL is refused at once (for 2 s)
                        assertThat(s.c("MAIL FROM:<sender@remote.test>")).isEqualTo("452 4.3.1 Insufficient system storage, try again later");
                        assertThat(s.c("NOOP")).startsWith("250");
                        Thread.sleep(2_100);
                        // a large message (a blob file)
                        assertThat(s.message(300_000)).isEqualTo("452 4.3.1 Insufficient system storage, try again later");
                        // a message over 1 MiB: held in a temp file while the policies run, and that fails first
                        assertThat(s.message(1_500_000)).isEqualTo("452 4.3.1 Insufficient system storage, try again later");
                        // again: no 421, no close (a "250" only when the rolled-back attempts left a page free)
                        String again = s.message(2_000);
                        assertThat(again).matches("452 4\\.3\\.1 .*|250 2\\.0\\.0 Ok: queued as .*");
                        if (again.startsWith("250")) accepted++;
                        assertThat(s.c("RSET")).startsWith("250");
                        assertThat(s.c("NOOP")).startsWith("250");
                        assertThat(store.spool().list(1000)).hasSize((int) queuedBefore + accepted); // nothing half-queued

                        Files.delete(filler); // the space returns
                        // "250" within a few seconds (the MAIL-time hint lasts 2 s), on the same connection
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        String back = s.message(2_000);
                        while (!back.startsWith("250") && System.nanoTime() < deadline) {
                            assertThat(back).startsWith("452 4.3.1");
                            Thread.sleep(250);
                            back = s.message(2_000);
                        }
                        assertThat(back).startsWith("250 2.0.0 Ok: queued as");
                        assertThat(s.message(300_000)).startsWith("250 2.0.0 Ok: queued as");
                        assertThat(s.message(1_500_000)).startsWith("250 2.0.0 Ok: queued as");
                        assertThat(s.c("QUIT")).startsWith("221");
                        assertThat(store.spool().list(1000)).hasSize((int) queuedBefore + accepted + 3);
                    }
                }
            }
        } finally {
            run("umount", "-l", mnt.toString());
        }
    }
}

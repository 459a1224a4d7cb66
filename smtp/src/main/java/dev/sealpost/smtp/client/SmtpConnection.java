package dev.sealpost.smtp.client;

import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.smtp.proto.Reply;
import dev.sealpost.smtp.proto.ReplyReader;
import dev.sealpost.smtp.proto.Xtext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection to an SMTP server (RFC 5321), with blocking I/O: meant for one
 * (virtual) thread at a time, not thread-safe. Every read waits at most the limit of its step
 * ({@link ClientSettings.Timeouts}, RFC 5321 §4.5.3.2), every write block too.
 *
 * <p>Use: {@link SmtpClient#connect} → check {@link #greeting()} → {@link #ehlo} → optionally
 * {@link #startTls} and {@link #auth} → {@link #send} once or more → {@link #quit()}.
 * Session steps that fail throw {@link SmtpClientException}; {@link #send} returns a
 * {@link DeliveryResult} and never throws for the server's answers, a lost connection or a
 * timeout.
 */
public final class SmtpConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpConnection.class);
    private static final AtomicLong IDS = new AtomicLong();
    /** How much of a header section is scanned for non-ASCII octets (SMTPUTF8 need). */
    private static final int HEADER_SCAN_LIMIT = 1 << 20;

    private final String id;
    private final ClientSettings settings;
    private final ClientSettings.Timeouts t;
    private final InetSocketAddress remote;
    private final Socket tcp;
    private Socket socket;
    private ReplyReader in;
    private OutputStream out;
    private Reply greeting;
    private Capabilities caps;
    private String heloName;
    private TlsOutcome tls;
    private String authUser;
    private boolean inTransaction;
    private boolean closed;

    private SmtpConnection(InetSocketAddress remote, ClientSettings settings, Socket tcp) throws IOException {
        this.id = "c" + Long.toString(IDS.incrementAndGet(), 36);
        this.settings = settings;
        this.t = settings.timeouts();
        this.remote = remote;
        this.tcp = tcp;
        streams(tcp);
    }

    static SmtpConnection open(InetSocketAddress remote, ClientSettings settings) throws IOException {
        if (remote.isUnresolved()) throw new IllegalArgumentException("unresolved address " + remote + ": resolve MX hosts first");
        Socket s = new Socket();
        try {
            if (settings.localAddress() != null) s.bind(new InetSocketAddress(settings.localAddress(), 0));
            s.setTcpNoDelay(true);
            s.connect(remote, (int) t(settings.timeouts().connect()));
            SmtpConnection c = new SmtpConnection(remote, settings, s);
            c.greeting = c.read(settings.timeouts().greeting()); // RFC 5321 §4.5.3.2.1
            log.info("{} connected to {} from {}: {}", c.id, remote, s.getLocalSocketAddress(), c.greeting);
            if (c.greeting.code() == 421) c.abort(); // RFC 5321 §3.8: the server is going away
            return c;
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw e;
        }
    }

    private void streams(Socket s) throws IOException {
        socket = s;
        in = new ReplyReader(s.getInputStream(), settings.maxReplyLineLength(), settings.maxReplyLines());
        out = new BufferedOutputStream(new TimedOutputStream(s.getOutputStream(), tcp, t(t.dataBlock())), 16 * 1024);
    }

    private static long t(Duration d) {
        return d.toMillis();
    }

    // ------------------------------------------------------------------ state

    /** A short id for log lines. */
    public String id() { return id; }

    public InetSocketAddress remote() { return remote; }

    /** The server's greeting (RFC 5321 §4.2: 220 to go on; 554 means "no service here", send QUIT). */
    public Reply greeting() { return greeting; }

    /** The capabilities from the last EHLO (or HELO), or null before it. */
    public Capabilities capabilities() { return caps; }

    /** The TLS result, or null while the connection is not TLS. */
    public TlsOutcome tls() { return tls; }

    /** The user we authenticated as, or null. */
    public String authenticatedUser() { return authUser; }

    /** False after QUIT, a 421, a lost connection or a timeout. */
    public boolean isOpen() { return !closed; }

    // ------------------------------------------------------------------ session steps

    /**
     * EHLO (RFC 5321 §4.1.1.1), falling back to HELO when the server refuses EHLO with a 5xx
     * (RFC 5321 §3.2: a server without extensions answers 500 or 502).
     */
    public Capabilities ehlo(String name) throws IOException {
        ensureOpen();
        command("EHLO " + name);
        Reply r = read(t.command());
        if (r.positive()) {
            caps = Capabilities.parse(r);
        } else if (r.code() >= 500) {
            command("HELO " + name);
            Reply h = read(t.command());
            if (!h.positive()) throw refused("HELO refused", h);
            caps = Capabilities.helo(h);
        } else {
            throw refused("EHLO refused", r);
        }
        heloName = name;
        log.info("{} {} {}: {}", id, caps.extended() ? "EHLO" : "HELO", name,
                caps.extended() ? String.join(" ", caps.keywords().keySet()) : "no extensions");
        return caps;
    }

    /** STARTTLS with an SSLContext's socket factory: see {@link #startTls(SSLSocketFactory, String, TlsRequirement)}. */
    public TlsOutcome startTls(SSLContext context, String peerName, TlsRequirement requirement) throws IOException {
        return startTls(context.getSocketFactory(), peerName, requirement);
    }

    /**
     * STARTTLS (RFC 3207), the handshake with SNI for {@code peerName} (RFC 6066 §3), a PKIX check
     * that is always recorded and enforced only for {@link TlsRequirement#PKIX}, then EHLO again
     * (RFC 3207 §4.2: the server forgets everything).
     *
     * <p>The socket factory's trust manager decides the handshake: trust-all for opportunistic TLS
     * (RFC 7435), a DANE TLSA trust manager (RFC 7672), or a PKIX one.
     *
     * @param peerName the server's host name (the MX name), used for SNI and the certificate check
     * @throws SmtpClientException NOT_OFFERED or REFUSED (connection usable unless 421),
     *                             TLS_HANDSHAKE, TLS_CERTIFICATE or PROTOCOL (connection closed)
     */
    public TlsOutcome startTls(SSLSocketFactory factory, String peerName, TlsRequirement requirement) throws IOException {
        ensureOpen();
        if (caps == null) throw new IllegalStateException("EHLO first");
        if (tls != null) throw new IllegalStateException("TLS already active");
        if (!caps.startTls()) throw new SmtpClientException(SmtpClientException.Kind.NOT_OFFERED, "STARTTLS not offered", null, true, null);
        command("STARTTLS");
        Reply r = read(t.command());
        if (r.code() != 220) throw refused("STARTTLS refused", r);
        if (in.buffered() > 0) {
            // RFC 3207 §4.2 (and CVE-2011-0411 for the other side): nothing may come before the handshake
            abort();
            throw new SmtpClientException(SmtpClientException.Kind.PROTOCOL,
                    "server sent data after its 220 to STARTTLS (response injection)", null, false, null);
        }
        SSLSocket ssl;
        try {
            ssl = (SSLSocket) factory.createSocket(tcp, peerName, remote.getPort(), true);
            ssl.setUseClientMode(true);
            SSLParameters p = ssl.getSSLParameters();
            SNIHostName sni = sni(peerName);
            if (sni != null) p.setServerNames(List.of(sni));
            ssl.setSSLParameters(p);
            ssl.setSoTimeout((int) t(t.command()));
            ssl.startHandshake();
        } catch (IOException | RuntimeException e) {
            abort();
            log.info("{} TLS handshake with {} ({}) failed: {}", id, peerName, remote, e.toString());
            throw new SmtpClientException(SmtpClientException.Kind.TLS_HANDSHAKE, "TLS handshake failed: " + e.getMessage(), null, false, e);
        }
        SSLSession session = ssl.getSession();
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) if (c instanceof X509Certificate x) chain.add(x);
        } catch (IOException e) {
            // no certificates (anonymous suites are not enabled by default): recorded as not verified
        }
        String problem = pkixProblem(chain, peerName);
        TlsOutcome outcome = new TlsOutcome(peerName, requirement, session.getProtocol(), session.getCipherSuite(), chain,
                problem == null, problem);
        log.info("{} TLS with {}: {}", id, peerName, outcome.describe());
        if (requirement == TlsRequirement.PKIX && problem != null) {
            try {
                ssl.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            abort();
            throw new SmtpClientException(SmtpClientException.Kind.TLS_CERTIFICATE, "certificate not valid for " + peerName + ": " + problem,
                    null, false, null);
        }
        streams(ssl);
        tls = outcome;
        caps = null;
        ehlo(heloName);
        return outcome;
    }

    private static SNIHostName sni(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.startsWith("[")) return null;
        try {
            InetAddress.ofLiteral(n);
            return null; // RFC 6066 §3: no literal IP addresses in SNI
        } catch (IllegalArgumentException notLiteral) {
            // a host name
        }
        try {
            return new SNIHostName(java.net.IDN.toASCII(n));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Null when the chain validates against the PKIX anchors and matches the name; else why not. */
    private String pkixProblem(List<X509Certificate> chain, String peerName) {
        if (chain.isEmpty()) return "no certificate";
        try {
            // "UNKNOWN" is what the JDK itself passes for TLS 1.3, where the key exchange no longer names the key type
            settings.pkixTrust().checkServerTrusted(chain.toArray(X509Certificate[]::new), "UNKNOWN");
        } catch (CertificateException | RuntimeException e) {
            return "chain not trusted: " + e.getMessage();
        }
        if (!CertificateNames.matches(chain.getFirst(), peerName)) return "name mismatch: certificate is not for " + peerName;
        return null;
    }

    /**
     * AUTH (RFC 4954) towards a smarthost. Refused without TLS unless
     * {@link ClientSettings#allowPlaintextAuth()}. For SCRAM-SHA-256 the server's final message
     * must prove it knows the password, or the connection is closed.
     *
     * @return the 235 reply
     * @throws SmtpClientException NOT_OFFERED, INSECURE, REFUSED (e.g. 535), PROTOCOL
     */
    public Reply auth(AuthMechanism mechanism, String user, char[] password) throws IOException {
        ensureOpen();
        if (caps == null) throw new IllegalStateException("EHLO first");
        if (!caps.authMechanisms().contains(mechanism.saslName())) {
            throw new SmtpClientException(SmtpClientException.Kind.NOT_OFFERED, "AUTH " + mechanism.saslName() + " not offered", null, true, null);
        }
        if (tls == null && !settings.allowPlaintextAuth()) { // RFC 4954 §4, RFC 8314 §3
            throw new SmtpClientException(SmtpClientException.Kind.INSECURE, "not sending credentials without TLS", null, true, null);
        }
        Reply r = switch (mechanism) {
            case PLAIN -> {
                // RFC 4616 §2: [authzid] NUL authcid NUL passwd
                byte[] u = user.getBytes(StandardCharsets.UTF_8);
                byte[] p = utf8(password);
                byte[] msg = new byte[u.length + p.length + 2];
                System.arraycopy(u, 0, msg, 1, u.length);
                System.arraycopy(p, 0, msg, u.length + 2, p.length);
                Arrays.fill(p, (byte) 0);
                String b64 = Base64.getEncoder().encodeToString(msg);
                Arrays.fill(msg, (byte) 0);
                commandSecret("AUTH PLAIN " + b64);
                yield read(t.command());
            }
            case LOGIN -> {
                commandSecret("AUTH LOGIN");
                Reply c = read(t.command());
                if (c.code() != 334) yield c;
                commandSecret(Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
                c = read(t.command());
                if (c.code() != 334) yield c;
                byte[] p = utf8(password);
                commandSecret(Base64.getEncoder().encodeToString(p));
                Arrays.fill(p, (byte) 0);
                yield read(t.command());
            }
            case SCRAM_SHA_256 -> scram(user, password);
        };
        if (r.code() != 235) throw refused("AUTH " + mechanism.saslName() + " failed", r);
        authUser = user;
        log.info("{} AUTH {} as {} succeeded", id, mechanism.saslName(), user); // never the password
        return r;
    }

    private Reply scram(String user, char[] password) throws IOException {
        ScramClient sc = new ScramClient(user, password);
        commandSecret("AUTH SCRAM-SHA-256 " + Base64.getEncoder().encodeToString(sc.clientFirst()));
        Reply c = read(t.command());
        if (c.code() != 334) return c;
        byte[] clientFinal;
        try {
            clientFinal = sc.clientFinal(challenge(c));
        } catch (ScramClient.ScramException e) {
            cancelAuth();
            throw new SmtpClientException(SmtpClientException.Kind.PROTOCOL, "SCRAM: " + e.getMessage(), null, isOpen(), null);
        }
        commandSecret(Base64.getEncoder().encodeToString(clientFinal));
        c = read(t.command());
        if (c.code() == 235) {
            // RFC 5802 §3: without server-final the server has not proven anything
            abort();
            throw new SmtpClientException(SmtpClientException.Kind.PROTOCOL, "SCRAM: server accepted without proving its identity", c, false, null);
        }
        if (c.code() != 334) return c;
        if (!sc.verifyServerFinal(challenge(c))) {
            abort();
            throw new SmtpClientException(SmtpClientException.Kind.PROTOCOL, "SCRAM: server signature invalid", null, false, null);
        }
        commandSecret(""); // RFC 4954 §4: additional data with success is acknowledged with an empty line
        return read(t.command());
    }

    private byte[] challenge(Reply c) throws IOException {
        try {
            return Base64.getDecoder().decode(c.lines().getFirst().strip());
        } catch (IllegalArgumentException e) {
            cancelAuth();
            throw new SmtpClientException(SmtpClientException.Kind.PROTOCOL, "AUTH challenge is not base64", c, isOpen(), null);
        }
    }

    /** RFC 4954 §4: "*" cancels the exchange; the server answers 501. */
    private void cancelAuth() throws IOException {
        commandSecret("*");
        read(t.command());
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] b = new byte[bb.remaining()];
        bb.get(b);
        if (bb.hasArray()) Arrays.fill(bb.array(), (byte) 0);
        return b;
    }

    /** RSET (RFC 5321 §4.1.1.5). */
    public Reply rset() throws IOException {
        ensureOpen();
        command("RSET");
        Reply r = read(t.command());
        if (r.positive()) inTransaction = false;
        return r;
    }

    /** NOOP (RFC 5321 §4.1.1.9), e.g. to check a cached connection before reuse. */
    public Reply noop() throws IOException {
        ensureOpen();
        command("NOOP");
        return read(t.command());
    }

    /** QUIT (RFC 5321 §4.1.1.10) and close. Never throws; returns the 221, or null when none came. */
    public Reply quit() {
        if (closed) return null;
        Reply r = null;
        try {
            command("QUIT");
            r = read(t.command());
        } catch (IOException e) {
            log.debug("{} QUIT: {}", id, e.toString());
        }
        abort();
        log.info("{} closed", id);
        return r;
    }

    /** QUIT if still open, then close. */
    @Override
    public void close() {
        quit();
    }

    // ------------------------------------------------------------------ sending

    /** Thrown inside {@link #send} when the message content cannot be read (our problem, not the server's). */
    private static final class SourceFailure extends IOException {
        SourceFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Sends one message: MAIL, RCPT per recipient, DATA or BDAT (RFC 5321 §3.3), pipelined when
     * offered (RFC 2920). Requirements the server cannot meet fail the message without sending
     * it (REQUIRETLS 5.7.30, SMTPUTF8 5.6.7, SIZE 5.3.4, 8-bit content that cannot be converted
     * 5.6.3). May be called again on the same connection for the next message.
     */
    public DeliveryResult send(Envelope env, MessageSource source) {
        if (caps == null) throw new IllegalStateException("EHLO first");
        if (closed) return local(env, Outcome.TEMPFAIL, 421, "4.4.2", "Connection already closed");
        try {
            if (inTransaction) rset();
        } catch (IOException e) {
            return lost(env, e, false);
        }
        // ---- RFC 8689 §4.2.1: validated TLS and REQUIRETLS offered after it, or not at all
        if (env.requireTls()) {
            if (tls == null || !tls.authenticated()) {
                return local(env, Outcome.PERMFAIL, 550, "5.7.30",
                        "REQUIRETLS: no authenticated TLS connection to this server" + (tls == null ? "" : " (" + tls.pkixProblem() + ")"));
            }
            if (!caps.requireTls()) {
                return local(env, Outcome.PERMFAIL, 550, "5.7.30", "REQUIRETLS support required: the server does not offer it");
            }
        }
        long size;
        boolean utf8;
        try {
            size = source.size();
            // RFC 6531 §3.2/§3.4: SMTPUTF8 when the message needs it; without it offered, a message
            // with UTF-8 in the envelope or headers cannot be sent (5.6.7). A flag on an all-ASCII
            // message does not stop delivery (as Postfix).
            if (caps.smtpUtf8()) {
                utf8 = env.smtpUtf8() || env.hasUtf8Address();
            } else {
                utf8 = false;
                if (env.hasUtf8Address() || (env.smtpUtf8() && headerHasNonAscii(source))) {
                    return local(env, Outcome.PERMFAIL, 550, "5.6.7", "SMTPUTF8 required but not offered by the server");
                }
            }
        } catch (IOException e) {
            return local(env, Outcome.TEMPFAIL, 451, "4.3.0", "Local error reading the message: " + e.getMessage());
        }
        // ---- RFC 1870 §6.2: do not send what exceeds the announced fixed maximum
        long max = caps.size();
        if (max > 0 && size > max) {
            return local(env, Outcome.PERMFAIL, 552, "5.3.4", "Message size " + size + " exceeds the server's fixed maximum of " + max);
        }
        BodyType body = env.body();
        MessageSource content = source;
        if (body == BodyType.BINARY_MIME && !caps.binaryMime()) {
            return local(env, Outcome.PERMFAIL, 554, "5.6.3", "Conversion required but not supported: the server does not offer BINARYMIME");
        }
        if (body == BodyType.EIGHT_BIT_MIME && !caps.eightBitMime()) {
            // RFC 6152 §3: convert to 7 bit, or do not send
            if (size > settings.maxDowngradeSize()) {
                return local(env, Outcome.PERMFAIL, 554, "5.6.3", "Conversion required but not supported: message too large to convert");
            }
            byte[] all;
            try (InputStream is = source.open()) {
                all = is.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, settings.maxDowngradeSize() + 1));
            } catch (IOException e) {
                return local(env, Outcome.TEMPFAIL, 451, "4.3.0", "Local error reading the message: " + e.getMessage());
            }
            if (all.length > settings.maxDowngradeSize()) {
                return local(env, Outcome.PERMFAIL, 554, "5.6.3", "Conversion required but not supported: message too large to convert");
            }
            switch (SevenBitDowngrade.convert(all)) {
                case SevenBitDowngrade.Converted c -> {
                    content = MessageSource.of(c.content());
                    body = BodyType.SEVEN_BIT;
                    log.info("{} server lacks 8BITMIME: message {} to 7 bit", id, c.changed() ? "converted" : "already 7-bit, sent");
                }
                case SevenBitDowngrade.Impossible i -> {
                    return local(env, Outcome.PERMFAIL, 554, "5.6.3", "Conversion required but not supported: " + i.reason());
                }
            }
        }
        return transaction(env, content, size, body, utf8);
    }

    private DeliveryResult transaction(Envelope env, MessageSource content, long size, BodyType body, boolean utf8) {
        boolean bdat = caps.chunking() && (settings.useChunking() || body == BodyType.BINARY_MIME);
        boolean pipelined = caps.pipelining();
        List<Envelope.Recipient> rcpts = env.recipients();
        Reply[] rcptReplies = new Reply[rcpts.size()];
        Reply mail;
        Reply data = null;
        boolean endSent = false;
        try {
            inTransaction = true;
            String mailLine = mailLine(env, size, body, utf8);
            if (pipelined) {
                // RFC 2920 §3.1: MAIL, the RCPTs and DATA in one write; replies read in order
                write(mailLine);
                for (Envelope.Recipient r : rcpts) write(rcptLine(r));
                if (!bdat) write("DATA");
                out.flush();
                mail = read(t.mail());
                for (int i = 0; i < rcpts.size(); i++) {
                    if (closed) break;
                    rcptReplies[i] = read(t.rcpt());
                }
                if (!bdat && !closed) data = read(t.dataInit());
            } else {
                command(mailLine);
                mail = read(t.mail());
                if (mail.positive()) {
                    for (int i = 0; i < rcpts.size() && !closed; i++) {
                        command(rcptLine(rcpts.get(i)));
                        rcptReplies[i] = read(t.rcpt());
                        if (rcptReplies[i].code() == 421) break;
                    }
                    if (!bdat && !closed && anyAccepted(rcptReplies)) {
                        command("DATA");
                        data = read(t.dataInit());
                    }
                }
            }
            if (!mail.positive()) {
                if (data != null && data.code() == 354) finishEmpty();
                log.info("{} MAIL refused: {}", id, mail);
                return result(Outcome.of(mail.code()), mail, true, false, all(env, mail));
            }
            List<RecipientResult> results = new ArrayList<>(rcpts.size());
            boolean accepted = false;
            Reply lastRefusal = null;
            for (int i = 0; i < rcpts.size(); i++) {
                Reply r = rcptReplies[i];
                if (r == null) r = Reply.of(421, "4.4.2", "No reply to RCPT: connection closed");
                if (r.positive()) {
                    accepted = true;
                    results.add(null); // decided by the end of data
                } else {
                    lastRefusal = r;
                    results.add(new RecipientResult(rcpts.get(i).address(), r, rcptOutcome(r)));
                }
            }
            if (!accepted) {
                // a pipelined DATA may still have been taken (RFC 2920 §3.1): send an empty message
                // end so that the server leaves the DATA state, and forget the transaction
                if (data != null && data.code() == 354) finishEmpty();
                boolean anyTemp = results.stream().anyMatch(r -> r.outcome() == Outcome.TEMPFAIL);
                log.info("{} no recipient accepted; last: {}", id, lastRefusal);
                return result(anyTemp ? Outcome.TEMPFAIL : Outcome.PERMFAIL, lastRefusal, true, false, results);
            }
            Reply fin;
            if (bdat) {
                Chunks ch = new Chunks(body);
                try (InputStream src = content.open()) {
                    fin = ch.send(src);
                } catch (ChunkRefused refused) {
                    fin = refused.reply;
                }
                endSent = ch.lastSent;
                if (!fin.positive() && !ch.lastSent) inTransaction = true; // RFC 3030 §2: failed mid-way: RSET next time
                else inTransaction = false;
            } else {
                if (data == null) data = Reply.of(421, "4.4.2", "No reply to DATA: connection closed");
                if (data.code() != 354) {
                    Reply d = data.positive() ? Reply.of(451, "4.5.0", "Unexpected reply to DATA: " + data) : data;
                    return result(Outcome.of(d.code()), d, true, false, fill(results, rcpts, d));
                }
                DataEncoder enc = new DataEncoder(out, DataEncoder.Mode.DATA);
                try (InputStream src = content.open()) {
                    copy(src, enc);
                }
                enc.finish();
                out.flush();
                endSent = true;
                fin = read(t.dataFinal()); // RFC 5321 §4.5.3.2.6
                inTransaction = false;
            }
            Outcome o = Outcome.of(fin.code());
            log.info("{} message {} ({} octets, {}, {}{}): {}", id, o == Outcome.ACCEPTED ? "accepted" : "refused", size, body.wire(),
                    bdat ? "BDAT" : "DATA", pipelined ? ", pipelined" : "", fin);
            return result(o, fin, true, false, fill(results, rcpts, fin));
        } catch (SourceFailure e) {
            // we cannot finish the content: the only safe way out is to drop the connection
            abort();
            log.warn("{} message content unreadable, connection dropped: {}", id, e.getMessage());
            return local(env, Outcome.TEMPFAIL, 451, "4.3.0", "Local error reading the message: " + e.getMessage());
        } catch (IOException e) {
            return lost(env, e, endSent);
        }
    }

    private static boolean anyAccepted(Reply[] replies) {
        for (Reply r : replies) if (r != null && r.positive()) return true;
        return false;
    }

    /** RFC 5321 §4.5.3.1.10: a 552 to RCPT ("too many recipients" in RFC 821) is treated as temporary. */
    private static Outcome rcptOutcome(Reply r) {
        if (r.code() == 552) return Outcome.TEMPFAIL;
        return Outcome.of(r.code());
    }

    private void finishEmpty() throws IOException {
        write(".");
        out.flush();
        read(t.dataFinal());
        inTransaction = true; // whatever happened, reset before the next transaction
    }

    private String mailLine(Envelope env, long size, BodyType body, boolean utf8) {
        StringBuilder sb = new StringBuilder("MAIL FROM:<").append(env.sender() == null ? "" : path(env.sender())).append('>');
        if (caps.size() >= 0) sb.append(" SIZE=").append(size); // RFC 1870 §6
        if (body != BodyType.SEVEN_BIT) sb.append(" BODY=").append(body.wire()); // RFC 6152 §2, RFC 3030 §3
        if (utf8) sb.append(" SMTPUTF8"); // RFC 6531 §3.4
        if (caps.dsn()) { // RFC 3461 §4.3, §4.4: only to a server that offers DSN
            if (env.dsnRet() != null) sb.append(" RET=").append(env.dsnRet());
            if (env.dsnEnvid() != null) sb.append(" ENVID=").append(Xtext.encode(env.dsnEnvid()));
        }
        if (env.requireTls()) sb.append(" REQUIRETLS"); // RFC 8689 §4.1
        return sb.toString();
    }

    private String rcptLine(Envelope.Recipient r) {
        StringBuilder sb = new StringBuilder("RCPT TO:<").append(path(r.address())).append('>');
        if (caps.dsn()) {
            if (!r.dsnNotify().isEmpty()) sb.append(" NOTIFY=").append(String.join(",", r.dsnNotify())); // RFC 3461 §4.1
            if (r.orcpt() != null) { // RFC 3461 §4.2: ORCPT=addr-type;xtext
                int semi = r.orcpt().indexOf(';');
                sb.append(" ORCPT=").append(r.orcpt(), 0, semi).append(';').append(Xtext.encode(r.orcpt().substring(semi + 1)));
            }
        }
        return sb.toString();
    }

    private static String path(EmailAddress a) {
        return a.toString();
    }

    private static boolean headerHasNonAscii(MessageSource source) throws IOException {
        try (InputStream is = new java.io.BufferedInputStream(source.open(), 8192)) {
            int prev1 = -1, prev2 = -1;
            for (int n = 0; n < HEADER_SCAN_LIMIT; n++) {
                int b = is.read();
                if (b < 0) return false;
                if (b >= 0x80) return true;
                // end of header: CRLF CRLF (or LF LF)
                if (b == '\n' && (prev1 == '\n' || (prev1 == '\r' && prev2 == '\n'))) return false;
                if (n == 1 && b == '\n' && prev1 == '\r') return false; // empty header section
                prev2 = prev1;
                prev1 = b;
            }
            return false;
        }
    }

    private static void copy(InputStream src, OutputStream dst) throws IOException {
        byte[] buf = new byte[16 * 1024];
        while (true) {
            int n;
            try {
                n = src.read(buf);
            } catch (IOException e) {
                throw new SourceFailure(e);
            }
            if (n < 0) return;
            dst.write(buf, 0, n);
        }
    }

    private static final class ChunkRefused extends IOException {
        final transient Reply reply;

        ChunkRefused(Reply reply) {
            super(reply.toString());
            this.reply = reply;
        }
    }

    /**
     * BDAT (RFC 3030 §2): content in chunks of {@link ClientSettings#chunkSize()} octets, the last
     * one with LAST. Each chunk's reply is read before the next is sent (RFC 3030 allows
     * pipelining them; one round trip per MiB costs little and stops at the first refusal).
     */
    private final class Chunks extends OutputStream {
        private final byte[] chunk = new byte[settings.chunkSize()];
        private final DataEncoder.Mode mode;
        private int n;
        boolean lastSent;

        Chunks(BodyType body) {
            this.mode = body == BodyType.BINARY_MIME ? DataEncoder.Mode.BINARY : DataEncoder.Mode.CHUNKS;
        }

        Reply send(InputStream src) throws IOException {
            DataEncoder enc = new DataEncoder(this, mode);
            copy(src, enc);
            enc.finish();
            return emit(true);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (n == chunk.length) {
                    Reply r = emit(false);
                    if (!r.positive()) throw new ChunkRefused(r);
                }
                int k = Math.min(len, chunk.length - n);
                System.arraycopy(b, off, chunk, n, k);
                n += k;
                off += k;
                len -= k;
            }
        }

        private Reply emit(boolean last) throws IOException {
            out.write(("BDAT " + n + (last ? " LAST" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk, 0, n);
            out.flush();
            n = 0;
            if (last) {
                lastSent = true;
                return read(t.dataFinal());
            }
            return read(t.dataBlock());
        }
    }

    // ------------------------------------------------------------------ results

    private static DeliveryResult result(Outcome o, Reply reply, boolean fromPeer, boolean possiblyDelivered,
                                         List<RecipientResult> recipients) {
        return new DeliveryResult(o, reply, fromPeer, possiblyDelivered, recipients);
    }

    private static List<RecipientResult> all(Envelope env, Reply r) {
        return env.recipients().stream().map(x -> new RecipientResult(x.address(), r, Outcome.of(r.code()))).toList();
    }

    /** Fills the undecided (accepted at RCPT) recipients with the end-of-data reply. */
    private static List<RecipientResult> fill(List<RecipientResult> results, List<Envelope.Recipient> rcpts, Reply r) {
        List<RecipientResult> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            RecipientResult x = results.get(i);
            out.add(x != null ? x : new RecipientResult(rcpts.get(i).address(), r, Outcome.of(r.code())));
        }
        return out;
    }

    private DeliveryResult local(Envelope env, Outcome o, int code, String enhanced, String text) {
        Reply r = Reply.of(code, enhanced, text);
        log.info("{} message not sent: {}", id, r);
        return new DeliveryResult(o, r, false, false, all(env, r));
    }

    private DeliveryResult lost(Envelope env, IOException e, boolean endSent) {
        abort();
        boolean timeout = e instanceof SocketTimeoutException;
        String what = timeout ? "Timeout" : "Connection lost";
        Reply r = endSent
                // RFC 5321 §6.1 / RFC 1047: the server may have the message already; a retry may duplicate it
                ? Reply.of(451, "4.4.2", what + " after the end of data; the message may have been delivered")
                : Reply.of(451, "4.4.2", what + ": " + e.getMessage());
        log.info("{} {}", id, r);
        return new DeliveryResult(Outcome.TEMPFAIL, r, false, endSent, all(env, r));
    }

    // ------------------------------------------------------------------ I/O

    private void ensureOpen() throws SmtpClientException {
        if (closed) throw new SmtpClientException(SmtpClientException.Kind.PROTOCOL, "connection closed", null, false, null);
    }

    private SmtpClientException refused(String what, Reply r) {
        boolean usable = r.code() != 421 && !closed;
        return new SmtpClientException(SmtpClientException.Kind.REFUSED, what, r, usable, null);
    }

    private void write(String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    private void command(String line) throws IOException {
        write(line);
        out.flush();
        log.debug("{} C: {}", id, line);
    }

    /** Like {@link #command} but never logged (AUTH payloads). */
    private void commandSecret(String line) throws IOException {
        write(line);
        out.flush();
    }

    private Reply read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, t(timeout)));
        Reply r = in.read();
        log.debug("{} S: {}", id, r);
        if (r.code() == 421) {
            abort(); // RFC 5321 §3.8: the server closes the channel after 421
        }
        return r;
    }

    private void abort() {
        closed = true;
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "SmtpConnection[" + id + " " + remote + (tls != null ? " " + tls.protocol() : "") + (closed ? " closed" : "") + "]";
    }
}

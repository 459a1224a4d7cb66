package dev.sealpost.imap.server;

import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.sasl.SaslDialog;
import dev.sealpost.core.sasl.SaslMechanism;
import dev.sealpost.core.sasl.SaslMechanisms;
import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.CommandReader;
import dev.sealpost.store.Directory;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The login commands (Dovecot's {@code cmd-login.c}, {@code cmd-authenticate.c}): LOGIN and
 * AUTHENTICATE (RFC 9051 §6.2.2, §6.2.3, with SASL-IR, RFC 4959) and UNAUTHENTICATE (RFC 8437).
 * When a login may happen is {@link dev.sealpost.core.login.LoginPolicy}'s rule (through
 * {@link ImapSession#mayLogin()}); the SASL exchange is {@link SaslDialog}'s; throttling and the
 * one log line per attempt are {@link LoginGate}'s. This class only maps their outcomes onto IMAP
 * responses; one failure text for every cause, so that nothing tells which users exist.
 */
final class AuthCommands extends CommandFamily {
    AuthCommands(ImapSession session) {
        super(session);
    }

    private LoginGate gate() {
        return session.gate();
    }

    private LoginGate.Client client() {
        return session.client();
    }

    /** RFC 9051 §6.2.3 LOGIN user password. */
    String login(List<Arg> a) throws IOException, CommandFailed {
        argc(a, 2);
        String user = text(a.get(0));
        if (!session.mayLogin()) { // RFC 9051 §6.2.3
            gate().aborted(client(), "LOGIN", user, "tls-required");
            throw no("[PRIVACYREQUIRED] LOGIN is disabled before STARTTLS");
        }
        String pass = text(a.get(1));
        if (gate().blocked(client(), "LOGIN")) throw no("[UNAVAILABLE] Too many failed logins; try again later");
        char[] pw = pass.toCharArray();
        Optional<Directory.Account> acc;
        try {
            acc = store().directory().authenticate(user, pw);
        } finally {
            Arrays.fill(pw, '\0');
        }
        if (acc.isEmpty()) {
            gate().failed(client(), "LOGIN", user, "bad-credentials", this::flush);
            throw no("[AUTHENTICATIONFAILED] Authentication failed"); // one text: no user enumeration
        }
        return loggedIn(acc.get(), "LOGIN");
    }

    private String loggedIn(Directory.Account acc, String mech) throws CommandFailed, IOException {
        if (!session.enterAuthenticated(acc)) {
            gate().aborted(client(), mech, acc.address(), "too-many-sessions");
            throw no("[LIMIT] Too many simultaneous sessions for this account");
        }
        gate().succeeded(client(), mech, acc.address());
        return "[CAPABILITY " + session.capabilities() + "] Logged in";
    }

    /** RFC 9051 §6.2.2 AUTHENTICATE mechanism [initial-response] (RFC 4959). */
    String authenticate(List<Arg> a) throws IOException, CommandFailed {
        if (a.isEmpty() || a.size() > 2) throw bad("AUTHENTICATE mechanism [initial-response]");
        String mechName = text(a.get(0));
        if (!session.mayLogin() && SaslMechanisms.find(session.allMechanisms(), mechName).isPresent()) {
            gate().aborted(client(), mechName, null, "tls-required");
            throw no("[PRIVACYREQUIRED] Use STARTTLS first"); // RFC 9051 §6.2.3, every mechanism alike
        }
        SaslMechanism mech = SaslMechanisms.find(session.usable(), mechName).orElse(null);
        if (mech == null) throw no("Unsupported authentication mechanism");
        if (gate().blocked(client(), mech.name())) throw no("[UNAVAILABLE] Too many failed logins; try again later");
        // RFC 4959 SASL-IR; "=" is an empty initial response
        String ir = a.size() == 2 ? text(a.get(1)) : null;
        SaslDialog.Outcome outcome = SaslDialog.run(mech, session.binding(), ir, this::challenge);
        switch (outcome) {
            case SaslDialog.Outcome.Authenticated ok -> {
                Optional<Directory.Account> acc = store().directory().account(ok.user());
                if (acc.isEmpty()) { // removed in the meantime
                    gate().failed(client(), ok.mechanism(), ok.user(), "no-such-account", this::flush);
                    throw no("[AUTHENTICATIONFAILED] Authentication failed");
                }
                return loggedIn(acc.get(), ok.mechanism());
            }
            case SaslDialog.Outcome.Failed f -> {
                gate().failed(client(), f.mechanism(), f.claimedUser(), f.reason(), this::flush);
                throw no("[AUTHENTICATIONFAILED] Authentication failed"); // one text: no user enumeration
            }
            case SaslDialog.Outcome.Malformed m -> {
                gate().aborted(client(), m.mechanism(), m.claimedUser(), m.reason());
                throw bad(m.reason().equals("line-too-long") ? "SASL response too long" : "Malformed SASL exchange");
            }
            case SaslDialog.Outcome.Cancelled c -> { // RFC 9051 §6.2.2: a cancelled exchange gets BAD
                gate().aborted(client(), c.mechanism(), c.claimedUser(), "cancelled");
                throw bad("AUTHENTICATE cancelled");
            }
            case SaslDialog.Outcome.TooManyRounds t -> {
                gate().aborted(client(), t.mechanism(), t.claimedUser(), "too-many-rounds");
                throw bad("Too many SASL rounds");
            }
            case SaslDialog.Outcome.Disconnected d -> {
                gate().aborted(client(), d.mechanism(), d.claimedUser(), "client-closed");
                throw new EOFException("connection closed during AUTHENTICATE");
            }
        }
    }

    /** A continuation with base64 data (RFC 9051 §6.2.2, §7.5) and the client's answer line. */
    private SaslDialog.Answer challenge(byte[] data) throws IOException {
        write("+ " + Base64.getEncoder().encodeToString(data) + "\r\n");
        flush();
        String t;
        try {
            t = session.reader().readLine();
        } catch (CommandReader.ReadError e) {
            return new SaslDialog.Answer.Unreadable("line-too-long");
        }
        return t == null ? new SaslDialog.Answer.Closed() : new SaslDialog.Answer.Line(t);
    }

    /** RFC 8437 UNAUTHENTICATE: back to the not-authenticated state on the same connection. */
    String unauthenticate(List<Arg> a) throws CommandFailed, IOException {
        noArgs(a);
        log.info("{} UNAUTHENTICATE {}", id(), account().address());
        session.leaveAuthenticated();
        return "UNAUTHENTICATE completed";
    }
}

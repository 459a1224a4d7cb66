package dev.sealpost.delivery;

import dev.sealpost.sieve.run.Action;
import dev.sealpost.sieve.run.Environment;
import dev.sealpost.sieve.run.Interpreter;
import dev.sealpost.sieve.run.MessageEnvironment;
import dev.sealpost.sieve.run.Result;
import dev.sealpost.sieve.script.Compiled;
import dev.sealpost.sieve.script.Language;
import dev.sealpost.sieve.script.ParseLimits;
import dev.sealpost.sieve.script.SieveCompiler;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.SieveScripts;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs an account's active Sieve script (RFC 5228) at local delivery and turns its actions into
 * what the spool stores: copies in mailboxes with flags, nothing (discard) or a refusal (reject).
 * A script is compiled once per content (cached by its SHA-256) and run on a message parsed once
 * ({@link #parse}). Nothing here loses mail: a script that does not compile, a runtime error
 * (RFC 5228 §2.10.6), a mailbox that does not exist without {@code :create} (RFC 5490 §3.2) and an
 * action not carried out here all end in a copy in INBOX, and each is reported in
 * {@link Plan#errors()} for the log.
 */
public final class SieveFilter {
    /** Compiled scripts kept; past this the cache starts afresh. */
    private static final int MAX_CACHED = 10_000;

    private final Store store;
    private final Interpreter interpreter = new Interpreter();
    private final Map<String, Compiled.Script> compiled = new ConcurrentHashMap<>();
    private final Forwarder forwarder;

    /** Without forwarding: redirect, vacation and notify are recorded as errors and the mail is kept. */
    public SieveFilter(Store store) {
        this(store, null);
    }

    /**
     * @param forwarder carries out redirect and vacation ({@link Plan#redirects()}, {@link Plan#vacations()}), or null
     */
    public SieveFilter(Store store, Forwarder forwarder) {
        this.store = store;
        this.forwarder = forwarder;
    }

    /**
     * What one account gets.
     *
     * @param copies the copies to store ({@link Spool.ToFolders}); empty for a discard
     * @param reject the reason of a reject (RFC 5429 §2.1) the caller may turn into a refusal, or null
     * @param errors what went wrong and was replaced by a keep, for the log
     * @param redirects addresses to redirect the message to (RFC 5228 §4.2), loops already left out
     * @param vacations auto-replies to send (RFC 5230 §4), each already checked by the interpreter
     */
    public record Plan(List<Spool.Copy> copies, String reject, List<String> errors, List<String> redirects,
                       List<Action.Vacation> vacations) {
        public Plan {
            copies = List.copyOf(copies);
            errors = List.copyOf(errors);
            redirects = List.copyOf(redirects);
            vacations = List.copyOf(vacations);
        }

        public Plan(List<Spool.Copy> copies, String reject, List<String> errors) {
            this(copies, reject, errors, List.of(), List.of());
        }
    }

    /** A message parsed once for every recipient's script. */
    public static final class Parsed {
        private final MessageEnvironment env;

        private Parsed(MessageEnvironment env) {
            this.env = env;
        }
    }

    /**
     * Parses a message for {@link #plan}.
     *
     * @param mailFrom the envelope sender ({@code ""} for the null path)
     * @param authUser the submitting account, or null
     */
    public static Parsed parse(byte[] message, String mailFrom, String authUser) {
        Map<String, List<String>> envelope = new LinkedHashMap<>();
        envelope.put("from", List.of(mailFrom)); // RFC 5228 §5.4
        if (authUser != null) envelope.put("auth", List.of(authUser));
        return new Parsed(new MessageEnvironment(message, envelope));
    }

    /** The account's active script, or empty when it has none (then the caller files as usual). */
    public Optional<SieveScripts.Script> activeScript(long accountId) {
        return store.sieveScripts().active(accountId);
    }

    /**
     * Runs {@code script} for one recipient and account.
     *
     * @param recipient the envelope recipient as given (RFC 5228 §5.4 envelope "to")
     */
    public Plan plan(SieveScripts.Script script, long accountId, Parsed message, String recipient) {
        List<String> errors = new ArrayList<>();
        Compiled.Script cs = compile(script, errors);
        if (cs == null) return new Plan(List.of(new Spool.Copy(null, List.of())), null, errors);
        Result r;
        try {
            r = interpreter.run(cs, new Recipient(message.env, recipient, accountId));
        } catch (RuntimeException e) {
            // a bug in the interpreter must not lose mail either
            errors.add("script " + script.name() + " failed: " + e);
            return new Plan(List.of(new Spool.Copy(null, List.of())), null, errors);
        }
        if (r.failed()) errors.add("script " + script.name() + ": " + r.error()); // RFC 5228 §2.10.6: implicit keep
        Map<String, Spool.Copy> copies = new LinkedHashMap<>();
        List<String> redirects = new ArrayList<>();
        List<Action.Vacation> vacations = new ArrayList<>();
        String reject = null;
        for (Action a : r.actions()) {
            switch (a) {
                case Action.Keep k -> add(copies, null, k.flags());
                case Action.Discard d -> { } // RFC 5228 §4.4: cancels the implicit keep only
                case Action.FileInto f -> add(copies, folder(accountId, f, errors), f.flags());
                case Action.Redirect rd -> {
                    if (forwarder == null) {
                        errors.add("redirect to " + rd.address() + " is not carried out here; kept in INBOX");
                        add(copies, null, List.of());
                    } else if (Forwarder.looping(message.env.header(Forwarder.REDIRECTED), recipient)) {
                        // the loop rule: mail we already redirected for this account (or too often) stays here
                        errors.add("redirect to " + rd.address() + " would loop (" + Forwarder.REDIRECTED + "); kept in INBOX");
                        add(copies, null, List.of());
                    } else {
                        redirects.add(rd.address()); // RFC 3894 :copy keeps the implicit keep (the interpreter decides)
                    }
                }
                case Action.Reject rj -> reject = rj.reason();
                // TODO(issue 15): mailto notifications (RFC 5436) through the outbound queue; until then they
                // are recorded, never silently dropped, and the mail is filed as usual
                case Action.Vacation v -> {
                    if (v.sends() && forwarder != null) vacations.add(v); // the interpreter already applied RFC 3834 and RFC 5230 §4.5
                    else if (v.sends()) errors.add("vacation reply to " + v.to() + " is not sent here");
                }
                case Action.Notify n -> errors.add("notify " + n.method() + " is not sent yet");
                // TODO(issue 15): editheader edits on the stored copy; the message is filed unedited
                case Action.AddHeader h -> errors.add("addheader " + h.name() + " is not applied yet");
                case Action.DeleteHeader h -> errors.add("deleteheader " + h.name() + " is not applied yet");
            }
        }
        if (r.implicitKeep()) add(copies, null, r.implicitKeepFlags()); // RFC 5228 §2.10.2
        if (reject != null && !copies.isEmpty()) {
            // RFC 5429 §2.1: reject is incompatible with keep and fileinto; the compiler or interpreter
            // should not let both through, and the mail is kept when they do
            errors.add("reject together with keep or fileinto: kept, not rejected");
            reject = null;
        }
        return new Plan(List.copyOf(copies.values()), reject, errors, reject == null ? redirects : List.of(), vacations);
    }

    /** What carries out redirect and vacation, or null. */
    Forwarder forwarder() {
        return forwarder;
    }

    /** The message's octets as parsed (for a redirect). */
    static byte[] content(Parsed p) {
        return p.env.message();
    }

    /** RFC 5228 §2.10.3: one copy per mailbox; flags of repeated actions on it add up. */
    private static void add(Map<String, Spool.Copy> copies, String mailbox, List<String> flags) {
        String key = mailbox == null ? "inbox" : mailbox.equalsIgnoreCase("INBOX") ? "inbox" : "=" + mailbox;
        Spool.Copy old = copies.get(key);
        if (old == null) {
            copies.put(key, new Spool.Copy(mailbox == null || key.equals("inbox") ? null : mailbox, flags));
        } else {
            LinkedHashSet<String> all = new LinkedHashSet<>(old.flags());
            all.addAll(flags);
            copies.put(key, new Spool.Copy(old.mailbox(), List.copyOf(all)));
        }
    }

    /** The mailbox for a fileinto: as named, created for {@code :create}, else null (INBOX) with an error. */
    private String folder(long accountId, Action.FileInto f, List<String> errors) {
        String name = f.mailbox();
        if (name.equalsIgnoreCase("INBOX")) return null;
        Mailboxes mb = store.mailboxes();
        if (mb.mailbox(accountId, name).isPresent()) return name;
        if (!f.create()) {
            // the rule (as Pigeonhole): without :create a missing mailbox keeps in INBOX
            errors.add("fileinto \"" + name + "\": no such mailbox; kept in INBOX");
            return null;
        }
        // RFC 5490 §3.2: :create makes the mailbox first
        return switch (mb.create(accountId, name, null)) {
            case Mailboxes.MailboxResult.Done d -> name;
            case Mailboxes.MailboxResult.AlreadyExists a -> name;
            case Mailboxes.MailboxResult.NotFound n -> {
                errors.add("fileinto :create \"" + name + "\": account not found; kept in INBOX");
                yield null;
            }
            case Mailboxes.MailboxResult.Refused r -> {
                errors.add("fileinto :create \"" + name + "\": " + r.reason() + "; kept in INBOX");
                yield null;
            }
        };
    }

    private Compiled.Script compile(SieveScripts.Script script, List<String> errors) {
        String key = sha256(script.content());
        Compiled.Script cs = compiled.get(key);
        if (cs != null) return cs;
        switch (SieveCompiler.compile(script.content(), Language.standard(), ParseLimits.defaults())) {
            case SieveCompiler.Ok ok -> {
                if (compiled.size() >= MAX_CACHED) compiled.clear();
                compiled.put(key, ok.script());
                return ok.script();
            }
            case SieveCompiler.Errors e -> {
                errors.add("script " + script.name() + " does not compile: " + e.errors());
                return null;
            }
        }
    }

    /** Number of compiled scripts cached (for tests). */
    int cachedScripts() {
        return compiled.size();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parsed message seen by one recipient's script: its envelope "to", its account's mailboxes. */
    private final class Recipient implements Environment {
        private final MessageEnvironment env;
        private final String to;
        private final long accountId;

        Recipient(MessageEnvironment env, String to, long accountId) {
            this.env = env;
            this.to = to;
            this.accountId = accountId;
        }

        @Override
        public List<String> header(String name) {
            return env.header(name);
        }

        @Override
        public List<String> envelope(String part) {
            return part.toLowerCase(Locale.ROOT).equals("to") ? List.of(to) : env.envelope(part);
        }

        @Override
        public long size() {
            return env.size();
        }

        @Override
        public String body() {
            return env.body();
        }

        @Override
        public byte[] message() {
            return env.message();
        }

        /**
         * RFC 5235 §3.2, §3.3: the score the MX's filter wrote in our {@link dev.sealpost.store.FilterMark}
         * field (never one from outside: the MX removes those), mapped from 0 .. 1.5 times the junk
         * threshold onto 1 .. 10 (the threshold itself is 7) or 0 .. 100 percent; not tested without it.
         */
        @Override
        public Optional<Integer> spamScore(boolean percent) {
            List<String> v = env.header(dev.sealpost.store.FilterMark.FIELD);
            if (v.isEmpty()) return Optional.empty();
            Optional<dev.sealpost.store.FilterMark> m = dev.sealpost.store.FilterMark.parse(v.getFirst());
            if (m.isEmpty()) return Optional.empty();
            return Optional.of(spamtest(m.get().score(), m.get().required(), percent));
        }

        @Override
        public boolean vacationAlreadyReplied(String sender, String handle, java.time.Duration period) {
            // RFC 5230 §4.2: the memory lives in the store (V12 sieve_vacation), set when a reply is sent
            return store.sieveScripts().vacationReplied(accountId, handle == null ? "" : handle, sender, java.time.Instant.now());
        }

        @Override
        public boolean mailboxExists(String name) {
            // RFC 5490 §3.1
            return name.equalsIgnoreCase("INBOX") || store.mailboxes().mailbox(accountId, name).isPresent();
        }
    }

    /** A filter score as spamtest's value: 1 .. 10, or 0 .. 100 with {@code percent} (RFC 5235 §3.2, §3.3). */
    static int spamtest(double score, double required, boolean percent) {
        double top = required > 0 ? 1.5 * required : 9.0;
        double f = Math.max(0, Math.min(1, score / top));
        return percent ? (int) Math.round(100 * f) : (int) Math.max(1, Math.min(10, Math.round(1 + 9 * f)));
    }
}

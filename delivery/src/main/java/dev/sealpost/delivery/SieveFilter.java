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
     * @param copies        the copies to store ({@link Spool.ToFolders}); empty for a discard; a copy
     *                      that editheader changed carries its own blob
     * @param reject        the reason of a reject (RFC 5429 §2.1) the caller may turn into a refusal, or null
     * @param errors        what went wrong and was replaced by a keep, for the log
     * @param redirects     where to redirect the message (RFC 5228 §4.2), loops already left out
     * @param vacations     auto-replies to send (RFC 5230 §4), each already checked by the interpreter
     * @param notifications notification messages to send (RFC 5435, RFC 5436), checked and bounded
     * @param report        the errors of the user's own script, for the error report, or null
     */
    public record Plan(List<Spool.Copy> copies, String reject, List<String> errors, List<Redirect> redirects,
                       List<Action.Vacation> vacations, List<Notification> notifications, Report report) {
        public Plan {
            copies = List.copyOf(copies);
            errors = List.copyOf(errors);
            redirects = List.copyOf(redirects);
            vacations = List.copyOf(vacations);
            notifications = List.copyOf(notifications);
        }

        public Plan(List<Spool.Copy> copies, String reject, List<String> errors) {
            this(copies, reject, errors, List.of(), List.of(), List.of(), null);
        }
    }

    /** A redirect: the address and the message as the script had edited it by then (RFC 5293), null when unedited. */
    public record Redirect(String address, byte[] content) {}

    /** A notification ready to send: its recipients and the whole message. */
    public record Notification(List<String> to, byte[] message) {}

    /**
     * What went wrong in the user's own script (not in admin scripts: those are logged only).
     *
     * @param script  the script's name
     * @param version the SHA-256 of its text: one report per version
     * @param errors  the errors, one a line
     */
    public record Report(String script, String version, List<String> errors) {
        public Report {
            errors = List.copyOf(errors);
        }
    }

    /**
     * One script in the sequence run for an account (Pigeonhole's sieve_before, the user's active
     * script, sieve_after).
     *
     * @param personal the user's own script (its errors are reported to the user)
     */
    public record Step(String name, String content, boolean personal) {}

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
     * The scripts to run for an account, in order: the server's and then the domain's before
     * scripts, the account's active script, the domain's and then the server's after scripts
     * (V17, {@code sealpost sieve global}). Empty when there are none: the caller files as usual.
     *
     * @param accountAddress the account's address: its domain selects the domain scripts
     */
    public List<Step> scripts(long accountId, String accountAddress) {
        String domain = Forwarder.domainOf(accountAddress);
        List<SieveScripts.GlobalScript> globals = globals(domain == null ? "" : domain);
        Optional<SieveScripts.Script> own = activeScript(accountId);
        if (globals.isEmpty()) return own.map(s -> List.of(new Step(s.name(), s.content(), true))).orElse(List.of());
        List<Step> out = new ArrayList<>();
        for (SieveScripts.GlobalScript g : globals) if (g.phase() == SieveScripts.Phase.BEFORE) out.add(global(g));
        own.ifPresent(s -> out.add(new Step(s.name(), s.content(), true)));
        for (SieveScripts.GlobalScript g : globals) if (g.phase() == SieveScripts.Phase.AFTER) out.add(global(g));
        return out;
    }

    /** How long the admin scripts of a domain are cached: a change applies to deliveries after at most this long. */
    static final long GLOBALS_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    private record CachedGlobals(long loadedAt, List<SieveScripts.GlobalScript> scripts) {}

    private final Map<String, CachedGlobals> globals = new ConcurrentHashMap<>();

    /** The admin scripts for mail to {@code domain}, read from the store at most every {@link #GLOBALS_TTL_NANOS}. */
    private List<SieveScripts.GlobalScript> globals(String domain) {
        long now = System.nanoTime();
        CachedGlobals c = globals.get(domain);
        if (c != null && now - c.loadedAt() < GLOBALS_TTL_NANOS) return c.scripts();
        List<SieveScripts.GlobalScript> fresh = store.sieveScripts().globalScripts(domain);
        if (globals.size() >= MAX_CACHED) globals.clear();
        globals.put(domain, new CachedGlobals(now, fresh));
        return fresh;
    }

    /** Drops the cached admin scripts (tests; a server waits for {@link #GLOBALS_TTL_NANOS}). */
    void forgetGlobals() {
        globals.clear();
    }

    private static Step global(SieveScripts.GlobalScript g) {
        return new Step((g.domain().isEmpty() ? "global" : g.domain()) + "/" + g.phase().keyword() + "/" + g.name(), g.content(), false);
    }

    /** Runs one script (the account's own) for one recipient; see {@link #plan(List, long, Parsed, String, String)}. */
    public Plan plan(SieveScripts.Script script, long accountId, Parsed message, String recipient) {
        return plan(List.of(new Step(script.name(), script.content(), true)), accountId, message, recipient, recipient);
    }

    /**
     * Runs a sequence of scripts for one recipient and account, as Pigeonhole runs sieve_before,
     * the user's script and sieve_after: each script's actions are collected, and the next script
     * runs only while the message is still kept (the script ended with its implicit keep or an
     * explicit keep); the implicit keep of the last script run decides whether the message is kept.
     * A script that does not compile is skipped (logged; reported to the user when it is theirs).
     * A run-time error cancels that script's actions, ends the sequence and keeps the message in
     * INBOX (RFC 5228 §2.10.6); the earlier scripts' actions stay.
     *
     * @param recipient      the envelope recipient as given (RFC 5228 §5.4 envelope "to")
     * @param accountAddress the account's own address (the From of its notifications)
     */
    public Plan plan(List<Step> steps, long accountId, Parsed message, String recipient, String accountAddress) {
        List<String> errors = new ArrayList<>();
        List<String> userErrors = new ArrayList<>();
        Step personal = null;
        List<Action> actions = new ArrayList<>();
        boolean keep = true;
        List<String> keepFlags = List.of();
        Recipient env = new Recipient(message.env, recipient, accountId);
        for (Step step : steps) {
            if (step.personal()) personal = step;
            List<String> own = new ArrayList<>();
            Compiled.Script cs = compile(step, own);
            if (cs == null) {
                errors.addAll(own);
                if (step.personal()) userErrors.addAll(own);
                continue; // skipped: the sequence goes on as if it had kept
            }
            Result r;
            try {
                r = interpreter.run(cs, env);
            } catch (RuntimeException e) {
                // a bug in the interpreter must not lose mail either
                errors.add("script " + step.name() + " failed: " + e);
                keep = true;
                keepFlags = List.of();
                break;
            }
            if (r.failed()) {
                // RFC 5228 §2.10.6: the script's actions are cancelled, the implicit keep applies
                String e = "script " + step.name() + ": " + r.error();
                errors.add(e);
                if (step.personal()) userErrors.add("line " + r.error().line() + ": " + r.error().message());
                keep = true;
                keepFlags = r.implicitKeepFlags();
                break;
            }
            actions.addAll(r.actions());
            keep = r.implicitKeep();
            keepFlags = r.implicitKeepFlags();
            boolean explicitKeep = r.actions().stream().anyMatch(a -> a instanceof Action.Keep);
            if (!keep && !explicitKeep) break; // Pigeonhole's multiscript rule: the message is no longer kept
        }

        byte[] original = message.env.message();
        Map<String, Spool.Copy> copies = new LinkedHashMap<>();
        List<Redirect> redirects = new ArrayList<>();
        List<Action.Vacation> vacations = new ArrayList<>();
        List<Notification> notifications = new ArrayList<>();
        List<Action> edits = new ArrayList<>();
        Edited edited = new Edited(original);
        String reject = null;
        int notifies = 0;
        for (Action a : actions) {
            switch (a) {
                case Action.Keep k -> add(copies, null, k.flags(), edited.blob(edits, errors));
                case Action.Discard d -> { } // RFC 5228 §4.4: cancels the implicit keep only
                case Action.FileInto f -> add(copies, folder(accountId, f, errors), f.flags(), edited.blob(edits, errors));
                case Action.Redirect rd -> {
                    if (forwarder == null) {
                        errors.add("redirect to " + rd.address() + " is not carried out here; kept in INBOX");
                        add(copies, null, List.of(), edited.blob(edits, errors));
                    } else if (Forwarder.looping(message.env.header(Forwarder.REDIRECTED), recipient)) {
                        // the loop rule: mail we already redirected for this account (or too often) stays here
                        errors.add("redirect to " + rd.address() + " would loop (" + Forwarder.REDIRECTED + "); kept in INBOX");
                        add(copies, null, List.of(), edited.blob(edits, errors));
                    } else if (redirects.size() >= MAX_REDIRECTS) {
                        // the per-message bound holds across the scripts of the sequence too
                        errors.add("redirect to " + rd.address() + ": more than " + MAX_REDIRECTS + " redirects; kept in INBOX");
                        add(copies, null, List.of(), edited.blob(edits, errors));
                    } else {
                        // RFC 5293: the redirected message carries the edits made before the redirect
                        redirects.add(new Redirect(rd.address(), edits.isEmpty() ? null : edited.bytes(edits)));
                    }
                }
                case Action.Reject rj -> reject = rj.reason();
                case Action.Vacation v -> {
                    if (v.sends() && forwarder != null) vacations.add(v); // the interpreter already applied RFC 3834 and RFC 5230 §4.5
                    else if (v.sends()) errors.add("vacation reply to " + v.to() + " is not sent here");
                }
                case Action.Notify n -> {
                    Notification sent = notification(n, message, accountAddress, ++notifies, errors);
                    if (sent != null) notifications.add(sent);
                }
                case Action.AddHeader h -> edits.add(h); // RFC 5293 §4: applies to the copies stored after it
                case Action.DeleteHeader h -> edits.add(h); // RFC 5293 §5
            }
        }
        if (keep) add(copies, null, keepFlags, edited.blob(edits, errors)); // RFC 5228 §2.10.2
        if (reject != null && !copies.isEmpty()) {
            // RFC 5429 §2.1: reject is incompatible with keep and fileinto; the compiler or interpreter
            // should not let both through, and the mail is kept when they do
            errors.add("reject together with keep or fileinto: kept, not rejected");
            reject = null;
        }
        Report report = userErrors.isEmpty() || personal == null ? null
                : new Report(personal.name(), sha256(personal.content()), userErrors);
        return new Plan(List.copyOf(copies.values()), reject, errors, reject == null ? redirects : List.of(), vacations,
                reject == null ? notifications : List.of(), report);
    }

    /** Redirects for one message and account, across the whole script sequence (as {@link Interpreter.Options#defaults()}). */
    static final int MAX_REDIRECTS = Interpreter.Options.defaults().maxRedirects();

    /** A mailto notification (RFC 5436) to send, or null (the reason in {@code errors}, or a suppression in the log). */
    private Notification notification(Action.Notify n, Parsed message, String owner, int nth, List<String> errors) {
        if (forwarder == null) {
            errors.add("notify " + n.method() + " is not sent here");
            return null;
        }
        if (nth > Notifications.MAX_PER_MESSAGE) {
            errors.add("notify " + n.method() + ": more than " + Notifications.MAX_PER_MESSAGE + " notifications for one message; not sent");
            return null;
        }
        List<String> to = n.recipients();
        if (to == null || to.isEmpty()) {
            errors.add("notify " + n.method() + ": no valid recipient; not sent");
            return null;
        }
        if (to.size() > Notifications.MAX_RECIPIENTS) {
            errors.add("notify " + n.method() + ": more than " + Notifications.MAX_RECIPIENTS + " recipients; not sent");
            return null;
        }
        MessageEnvironment e = message.env;
        boolean list = e.header("list-id").size() + e.header("list-post").size() + e.header("list-unsubscribe").size() > 0;
        List<String> from = e.envelope("from");
        String why = Notifications.suppressed(from.isEmpty() ? "" : from.getFirst(), e.header("auto-submitted"), e.header("precedence"), list);
        if (why != null) {
            // RFC 3834 §2: not an error, the safety rule; said in the log
            errors.add("notify " + n.method() + " suppressed: " + why);
            return null;
        }
        String subject = e.header("subject").isEmpty() ? "" : e.header("subject").getFirst();
        String origFrom = e.header("from").isEmpty() ? "" : e.header("from").getFirst();
        return new Notification(to, Notifications.build(n, to, owner, origFrom, subject, java.time.ZonedDateTime.now()));
    }

    /** The message with a prefix of the script's header edits applied, each variant computed and stored once. */
    private final class Edited {
        private final byte[] original;
        private final Map<Integer, byte[]> bytes = new java.util.HashMap<>();
        private final Map<Integer, dev.sealpost.store.BlobRef> blobs = new java.util.HashMap<>();

        Edited(byte[] original) {
            this.original = original;
        }

        byte[] bytes(List<Action> edits) {
            return bytes.computeIfAbsent(edits.size(), n -> HeaderEdits.apply(original, List.copyOf(edits)));
        }

        /** The stored blob of the edited message, or null when there are no edits (or they changed nothing). */
        dev.sealpost.store.BlobRef blob(List<Action> edits, List<String> errors) {
            if (edits.isEmpty() || original == null) return null;
            dev.sealpost.store.BlobRef b = blobs.get(edits.size());
            if (b != null) return b;
            byte[] m = bytes(edits);
            if (java.util.Arrays.equals(m, original)) return null;
            try {
                b = store.blobs().put(m);
            } catch (java.io.IOException ex) {
                // the store is failing: the message stays pending and is retried
                throw new dev.sealpost.store.StoreException("storing the edited copy: " + ex.getMessage(), ex);
            }
            blobs.put(edits.size(), b);
            return b;
        }
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
    private static void add(Map<String, Spool.Copy> copies, String mailbox, List<String> flags, dev.sealpost.store.BlobRef blob) {
        String key = mailbox == null ? "inbox" : mailbox.equalsIgnoreCase("INBOX") ? "inbox" : "=" + mailbox;
        Spool.Copy old = copies.get(key);
        if (old == null) {
            copies.put(key, new Spool.Copy(mailbox == null || key.equals("inbox") ? null : mailbox, flags, blob));
        } else {
            LinkedHashSet<String> all = new LinkedHashSet<>(old.flags());
            all.addAll(flags);
            copies.put(key, new Spool.Copy(old.mailbox(), List.copyOf(all), old.blob()));
        }
    }

    /** Mailboxes seen to exist, with when (System.nanoTime): a script files into the same few on every message. */
    private final Map<String, Long> existing = new ConcurrentHashMap<>();
    private static final long EXISTING_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    /**
     * Whether the account's mailbox exists. A yes is remembered for a minute: safe, because the
     * spool files a copy whose mailbox went away in the meantime into INBOX; a no is never
     * remembered (a mailbox just created is used at once).
     */
    private boolean exists(long accountId, String name) {
        String key = accountId + "\0" + name;
        Long seen = existing.get(key);
        long now = System.nanoTime();
        if (seen != null && now - seen < EXISTING_TTL_NANOS) return true;
        boolean yes = store.mailboxes().exists(accountId, name);
        if (yes) {
            if (existing.size() >= MAX_CACHED) existing.clear();
            existing.put(key, now);
        }
        return yes;
    }

    /** The mailbox for a fileinto: as named, created for {@code :create}, else null (INBOX) with an error. */
    private String folder(long accountId, Action.FileInto f, List<String> errors) {
        String name = f.mailbox();
        if (name.equalsIgnoreCase("INBOX")) return null;
        Mailboxes mb = store.mailboxes();
        if (exists(accountId, name)) return name;
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

    private Compiled.Script compile(Step script, List<String> errors) {
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
                for (dev.sealpost.sieve.script.SieveError err : e.errors()) {
                    errors.add("script " + script.name() + " does not compile: line " + err.line() + ": " + err.message());
                }
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
            return name.equalsIgnoreCase("INBOX") || store.mailboxes().exists(accountId, name);
        }
    }

    /** A filter score as spamtest's value: 1 .. 10, or 0 .. 100 with {@code percent} (RFC 5235 §3.2, §3.3). */
    static int spamtest(double score, double required, boolean percent) {
        double top = required > 0 ? 1.5 * required : 9.0;
        double f = Math.max(0, Math.min(1, score / top));
        return percent ? (int) Math.round(100 * f) : (int) Math.max(1, Math.min(10, Math.round(1 + 9 * f)));
    }
}

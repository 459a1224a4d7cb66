package dev.sealpost.app.cli;

import dev.sealpost.app.ListsWiring;
import dev.sealpost.app.Main;
import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.lists.moderation.ModerationQueue;
import dev.sealpost.lists.service.ListService;
import dev.sealpost.store.MailingLists;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sealpost list add|remove|show|set} and {@code list member|owner|moderator ...}: distribution
 * lists (docs/lists.md), and {@code list held|approve|reject|discard} for held posts. Only this command
 * shows who is on a list.
 */
@Command(name = "list", description = "Manage distribution lists (remote explosion: one copy per member, List-* fields, VERP).",
        mixinStandardHelpOptions = true, subcommands = {ListCommand.Members.class, ListCommand.Owners.class, ListCommand.Moderators.class})
public final class ListCommand {
    @Mixin
    StoreOptions store;

    /** Settings {@code list set} accepts, with what each may be. */
    static final Map<String, String> SETTINGS = Map.of(
            "subject_prefix", "any text, e.g. [dev] (empty: none)",
            "from_rewrite", "when_needed | always | never",
            "poster_in", "reply_to | cc",
            "nonmembers", "hold | reject | discard",
            "verify_sender", "true | false",
            "archive_url", "an https URI for List-Archive (empty: none)",
            "bounce_threshold", "the bounce score that disables a member (default 5.0; a permanent bounce weighs 1, at most one a day)");

    @Command(name = "add", description = "Create the list LIST (its domain must be local).")
    int add(@Parameters(paramLabel = "LIST") String list,
            @Option(names = "--posting", defaultValue = "members", paramLabel = "POLICY",
                    description = "Who may post: open, members, moderated or announce (default: ${DEFAULT-VALUE}).") String posting,
            @Option(names = "--description", defaultValue = "", paramLabel = "TEXT", description = "The list's name for people (List-Id phrase).") String description) {
        try (Store s = store.open()) {
            MailingLists.MailingList l = s.lists().create(list, description, posting);
            System.out.println("added list " + l.address() + " (posting " + l.posting() + ")");
        }
        return 0;
    }

    @Command(name = "remove", description = "Delete the list LIST with its members and pending items.")
    int remove(@Parameters(paramLabel = "LIST") String list) {
        try (Store s = store.open()) {
            if (!s.lists().remove(AccountCommand.canonical(list))) throw new Main.UserError("no such list: " + list);
        }
        System.out.println("removed list " + AccountCommand.canonical(list));
        return 0;
    }

    @Command(name = "show", description = "Show a list: settings, owners, moderators, members (with delivery state); without LIST, all lists.")
    int show(@Parameters(paramLabel = "LIST", arity = "0..1") String list) {
        try (Store s = store.open()) {
            if (list == null) {
                List<MailingLists.MailingList> all = s.lists().all();
                if (all.isEmpty()) System.out.println("no lists (add one with 'sealpost list add LIST')");
                for (MailingLists.MailingList l : all) System.out.println(l.address() + "\t" + l.posting() + "\t" + l.description());
                return 0;
            }
            MailingLists.MailingList l = existing(s, list);
            System.out.println("list: " + l.address());
            System.out.println("description: " + l.description());
            System.out.println("posting: " + l.posting());
            l.settings().forEach((k, v) -> System.out.println(k + ": " + v));
            for (MailingLists.Role r : MailingLists.Role.values()) {
                List<MailingLists.Member> ms = s.lists().members(l.address(), r);
                System.out.println(r.word() + "s: " + ms.size());
                for (MailingLists.Member m : ms) {
                    System.out.println("  " + m.address() + (r == MailingLists.Role.MEMBER && !m.enabled()
                            ? "\tdisabled (" + m.bounce().status() + ", bounce score " + String.format(java.util.Locale.ROOT, "%.2f", m.bounce().score()) + ")" : ""));
                }
            }
            List<MailingLists.Pending> held = s.lists().pending(l.address(), "held");
            System.out.println("held posts: " + held.size());
            for (MailingLists.Pending p : held) System.out.println("  " + p.token() + "\tfrom " + p.address() + "\texpires " + p.expiresAt());
        }
        return 0;
    }

    @Command(name = "set", description = "Change a list's posting policy, description or a setting (KEY=VALUE: subject_prefix, from_rewrite, poster_in, nonmembers, verify_sender, archive_url, bounce_threshold).")
    int set(@Parameters(paramLabel = "LIST") String list,
            @Option(names = "--posting", paramLabel = "POLICY", description = "open, members, moderated or announce.") String posting,
            @Option(names = "--description", paramLabel = "TEXT", description = "The list's name for people.") String description,
            @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "Settings to change (an empty VALUE removes one).") List<String> pairs) {
        try (Store s = store.open()) {
            MailingLists.MailingList l = existing(s, list);
            Map<String, String> settings = new LinkedHashMap<>(l.settings());
            for (String p : pairs == null ? List.<String>of() : pairs) {
                int eq = p.indexOf('=');
                if (eq <= 0) throw new Main.UserError("expected KEY=VALUE, got " + p);
                String k = p.substring(0, eq), v = p.substring(eq + 1);
                if (!SETTINGS.containsKey(k)) throw new Main.UserError("unknown setting " + k + ": expected one of " + new java.util.TreeSet<>(SETTINGS.keySet()));
                check(k, v);
                if (v.isEmpty()) settings.remove(k);
                else settings.put(k, v);
            }
            s.lists().update(l.address(), description == null ? l.description() : description, posting == null ? l.posting() : posting, settings);
            System.out.println("updated list " + l.address());
        }
        return 0;
    }

    /** The list LIST, or the user error every subcommand gives for an unknown one. */
    static MailingLists.MailingList existing(Store s, String list) {
        return s.lists().find(list).orElseThrow(() -> new Main.UserError("no such list: " + list));
    }

    private static void check(String k, String v) {
        if (v.isEmpty()) return;
        boolean ok = switch (k) {
            case "from_rewrite" -> List.of("when_needed", "always", "never").contains(v);
            case "poster_in" -> List.of("reply_to", "cc").contains(v);
            case "nonmembers" -> List.of("hold", "reject", "discard").contains(v);
            case "verify_sender" -> List.of("true", "false").contains(v);
            case "archive_url" -> v.startsWith("https://") && !v.matches(".*[\\s<>\"].*");
            case "bounce_threshold" -> v.matches("[0-9]{1,3}(\\.[0-9]{1,2})?") && Double.parseDouble(v) > 0;
            default -> v.length() <= 100;
        };
        if (!ok) throw new Main.UserError("bad value for " + k + ": expected " + SETTINGS.get(k));
    }

    // ---- held posts (the same decision path as a moderator's reply: ListService.moderate) ----

    @Command(name = "held", description = "List the posts LIST holds for moderation: ID, poster, age, subject (no other address).")
    int held(@Parameters(paramLabel = "LIST") String list) {
        try (Store s = store.open()) {
            MailingLists.MailingList l = existing(s, list);
            List<ListService.Held> held = ListService.held(s.lists(), l.address());
            if (held.isEmpty()) System.out.println("no held posts on " + l.address());
            java.time.Instant now = java.time.Instant.now();
            for (ListService.Held h : held) {
                System.out.println(h.token() + "\t" + (h.poster().isEmpty() ? "(no sender)" : h.poster()) + "\t"
                        + age(java.time.Duration.between(h.heldAt(), now)) + "\t" + h.subject());
            }
        }
        return 0;
    }

    /** {@code 3d4h}, {@code 2h5m}, {@code 40s}. */
    static String age(java.time.Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 86_400) return s / 86_400 + "d" + (s % 86_400) / 3600 + "h";
        if (s >= 3600) return s / 3600 + "h" + (s % 3600) / 60 + "m";
        if (s >= 60) return s / 60 + "m";
        return s + "s";
    }

    @Command(name = "approve", description = "Send the held post ID to the list (as a moderator's 'approve' reply does).")
    int approve(@Parameters(paramLabel = "LIST") String list, @Parameters(paramLabel = "ID", description = "The post's ID from 'list held'.") String id) {
        return moderate(list, id, ModerationQueue.Verdict.APPROVE, null);
    }

    @Command(name = "reject", description = "Refuse the held post ID and tell the poster (as a moderator's 'reject REASON' reply does).")
    int reject(@Parameters(paramLabel = "LIST") String list, @Parameters(paramLabel = "ID", description = "The post's ID from 'list held'.") String id,
               @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the poster.") String reason) {
        return moderate(list, id, ModerationQueue.Verdict.REJECT, reason);
    }

    @Command(name = "discard", description = "Drop the held post ID without telling anyone (as a moderator's 'discard' reply does).")
    int discard(@Parameters(paramLabel = "LIST") String list, @Parameters(paramLabel = "ID", description = "The post's ID from 'list held'.") String id) {
        return moderate(list, id, ModerationQueue.Verdict.DISCARD, null);
    }

    private int moderate(String list, String id, ModerationQueue.Verdict verdict, String reason) {
        if (reason != null && (reason.length() > 500 || reason.chars().anyMatch(ch -> ch < 0x20 && ch != '\t'))) {
            throw new Main.UserError("--reason: one line of at most 500 characters");
        }
        try (Store s = store.open()) {
            MailingLists.MailingList l = existing(s, list);
            ListService.Moderation m = engine(s).moderate(l, id, verdict, reason);
            switch (m) {
                case DONE -> System.out.println(switch (verdict) {
                    case APPROVE -> "approved: post " + id.strip() + " sent to " + l.address();
                    case REJECT -> "rejected: post " + id.strip() + " refused, the poster told";
                    case DISCARD -> "discarded: post " + id.strip();
                });
                case UNKNOWN -> throw new Main.UserError("no held post " + id.strip() + " on " + l.address() + " (see 'sealpost list held " + l.address() + "')");
                case EXPIRED -> throw new Main.UserError("held post " + id.strip() + " expired before the decision; it is dropped");
                case NOT_MODERATOR -> throw new IllegalStateException("the CLI decides as the admin");
            }
        }
        return 0;
    }

    /** The list engine as the server runs it (its config's host name, DNS and one-click secret). */
    private ListService engine(Store s) {
        SealpostConfig cfg = store.config();
        java.nio.file.Path data = store.dataDirectory();
        java.time.Clock clock = java.time.Clock.systemUTC();
        if (cfg == null) {
            // a bare data directory (no sealpost.toml in it): the server's defaults (localhost, the system's DNS servers)
            System.err.println("warning: no sealpost.toml in " + data + ": one-click links in approved posts name https://localhost/ (use --config FILE)");
            return ListsWiring.service("localhost", null, s, new dev.sealpost.dns.DnsJavaResolver(dev.sealpost.dns.DnsSettings.defaults()), clock, data);
        }
        try {
            return ListsWiring.service(cfg, s, SealpostServer.resolver(cfg.dns()), clock, data);
        } catch (java.io.IOException e) {
            throw new Main.UserError("cannot read the [dns] zone file: " + e.getMessage());
        }
    }

    /** The shared add/remove of one role. */
    abstract static class RoleCommand {
        @ParentCommand
        ListCommand parent;

        abstract MailingLists.Role role();

        int change(String list, List<String> addresses, boolean add) {
            try (Store s = parent.store.open()) {
                String l = existing(s, list).address();
                for (String a : addresses) {
                    String c = AccountCommand.canonical(a);
                    boolean changed = add ? s.lists().addMember(l, role(), c) : s.lists().removeMember(l, role(), c);
                    System.out.println((add ? (changed ? "added " : "already ") : (changed ? "removed " : "not a " + role().word() + ": "))
                            + role().word() + " " + c + (add ? " to " : " from ") + l);
                }
            }
            return 0;
        }
    }

    @Command(name = "member", description = "Add, remove or list members (local accounts or remote addresses).", mixinStandardHelpOptions = true)
    static final class Members extends RoleCommand {
        MailingLists.Role role() {
            return MailingLists.Role.MEMBER;
        }

        @Command(name = "add", description = "Add members to LIST (no confirmation asked: the admin vouches).")
        int add(@Parameters(paramLabel = "LIST") String list, @Parameters(paramLabel = "ADDRESS", arity = "1..*") List<String> addresses) {
            return change(list, addresses, true);
        }

        @Command(name = "remove", description = "Remove members from LIST.")
        int remove(@Parameters(paramLabel = "LIST") String list, @Parameters(paramLabel = "ADDRESS", arity = "1..*") List<String> addresses) {
            return change(list, addresses, false);
        }

        @Command(name = "list", description = "List the members of LIST (ADDRESS... narrows it to those addresses).")
        int list(@Parameters(paramLabel = "LIST") String list, @Parameters(paramLabel = "ADDRESS", arity = "0..*") List<String> only) {
            try (Store s = parent.store.open()) {
                String l = existing(s, list).address();
                List<String> filter = only == null ? List.of() : only.stream().map(AccountCommand::canonical).toList();
                for (MailingLists.Member m : s.lists().members(l, MailingLists.Role.MEMBER)) {
                    if (!filter.isEmpty() && !filter.contains(m.address())) continue;
                    System.out.println(m.address() + "\t" + (m.enabled() ? "enabled" : "disabled") + "\tbounce score "
                            + String.format(java.util.Locale.ROOT, "%.2f", m.bounce().score()) + (m.ownPosts() ? "" : "\tself_copy=false"));
                }
            }
            return 0;
        }

        @Command(name = "set", description = "Change a member's settings: self_copy=true|false (copies of the member's own posts; "
                + "default true), enabled=true|false (delivery; true also clears the bounce score).")
        int set(@Parameters(paramLabel = "LIST") String list, @Parameters(paramLabel = "ADDRESS") String address,
                @Parameters(paramLabel = "KEY=VALUE", arity = "1..*") List<String> pairs) {
            Map<String, Boolean> changes = new LinkedHashMap<>();
            for (String p : pairs) {
                int eq = p.indexOf('=');
                String k = eq <= 0 ? p : p.substring(0, eq), v = eq <= 0 ? "" : p.substring(eq + 1);
                if (!k.equals("self_copy") && !k.equals("enabled")) throw new Main.UserError("unknown member setting " + k + ": expected self_copy or enabled");
                if (!v.equals("true") && !v.equals("false")) throw new Main.UserError("bad value for " + k + ": expected true or false");
                changes.put(k, Boolean.parseBoolean(v));
            }
            try (Store s = parent.store.open()) {
                String l = existing(s, list).address();
                String c = AccountCommand.canonical(address);
                MailingLists.Member m = s.lists().members(l, MailingLists.Role.MEMBER).stream().filter(x -> x.address().equals(c)).findFirst()
                        .orElseThrow(() -> new Main.UserError("not a member of " + l + ": " + c));
                if (changes.containsKey("self_copy")) s.lists().setSelfCopy(l, c, changes.get("self_copy"));
                if (changes.containsKey("enabled")) {
                    boolean on = changes.get("enabled");
                    // enabling is a clean slate (as a confirmed subscription); an admin's disabling is not the bounce pass's to remove
                    s.lists().setMemberState(l, c, on, on ? MailingLists.BounceState.NEW
                            : new MailingLists.BounceState(m.bounce().score(), m.bounce().scoredAt(), m.bounce().day(), m.bounce().dayWeight(),
                            "enabled", 0, null));
                }
                System.out.println("updated member " + c + " of " + l);
            }
            return 0;
        }
    }

    @Command(name = "owner", description = "Add or remove owners (they get LIST-owner@ mail and may post and moderate).", mixinStandardHelpOptions = true)
    static final class Owners extends RoleCommand {
        MailingLists.Role role() {
            return MailingLists.Role.OWNER;
        }

        @Command(name = "add", description = "Add an owner.")
        int add(@Parameters(paramLabel = "LIST") String list, @Parameters(paramLabel = "ADDRESS", arity = "1..*") List<String> addresses) {
            return change(list, addresses, true);
        }

        @Command(name = "remove", description = "Remove an owner.")
        int remove(@Parameters(paramLabel = "LIST") String list, @Parameters(paramLabel = "ADDRESS", arity = "1..*") List<String> addresses) {
            return change(list, addresses, false);
        }
    }

    @Command(name = "moderator", description = "Add or remove moderators (they approve held posts by replying to the notice).", mixinStandardHelpOptions = true)
    static final class Moderators extends RoleCommand {
        MailingLists.Role role() {
            return MailingLists.Role.MODERATOR;
        }

        @Command(name = "add", description = "Add a moderator.")
        int add(@Parameters(paramLabel = "LIST") String list, @Parameters(paramLabel = "ADDRESS", arity = "1..*") List<String> addresses) {
            return change(list, addresses, true);
        }

        @Command(name = "remove", description = "Remove a moderator.")
        int remove(@Parameters(paramLabel = "LIST") String list, @Parameters(paramLabel = "ADDRESS", arity = "1..*") List<String> addresses) {
            return change(list, addresses, false);
        }
    }
}

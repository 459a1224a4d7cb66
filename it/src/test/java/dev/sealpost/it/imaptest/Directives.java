package dev.sealpost.it.imaptest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * List directives of expected untagged replies ({@code $!unordered[=n]}, {@code $!ordered},
 * {@code $!noextra}, {@code $!extra}, {@code $!ignore=x}, {@code $!ban=x}): checked at parse
 * time, and the defaults imaptest adds to lists that have none:
 * {@code LIST|LSUB ($!unordered)}, {@code STATUS mbox ($!unordered=2)},
 * {@code n FETCH ($!unordered=2)} and, inside it,
 * {@code FLAGS ($!unordered $!noextra $!ignore=\recent $!ignore=$HasAttachment $!ignore=$HasNoAttachment)}.
 */
final class Directives {
    private Directives() {}

    private static final class Ctx {
        Ctx parent;
        String replyName;
        String prevAtom;
        int parentChainIdx;
        int chainCount = 1;
        boolean directives;
    }

    /** Adds the default directives in place to a parsed untagged line; {@code name} is the reply name. */
    static void addDefaults(List<ImapArg> root, String name) {
        Ctx ctx = new Ctx();
        ctx.replyName = name;
        List<ImapArg> out = handle(ctx, root);
        root.clear();
        root.addAll(out);
    }

    private static List<ImapArg> handle(Ctx ctx, List<ImapArg> in) {
        List<ImapArg> args = new ArrayList<>(in);
        parseDirectives(ctx, args);
        if (!ctx.directives) addDefaultsFor(ctx, args);
        int directiveCount = 0;
        while (directiveCount < args.size() && isDirective(args.get(directiveCount))) directiveCount++;
        if ((args.size() - directiveCount) % ctx.chainCount != 0)
            throw new IllegalArgumentException("Invalid list argument count, chain size=" + ctx.chainCount);
        String prevAtom = null;
        for (int i = 0; i < args.size(); i++) {
            ImapArg a = args.get(i);
            String atom = ImapArg.atom(a);
            if (atom != null) prevAtom = atom.toLowerCase(Locale.ROOT);
            if (!(a instanceof ImapArg.ListArg l)) continue;
            Ctx sub = new Ctx();
            sub.parent = ctx;
            sub.replyName = ctx.replyName.toLowerCase(Locale.ROOT);
            sub.prevAtom = prevAtom;
            sub.parentChainIdx = ctx.chainCount == 1 ? i : i % ctx.chainCount;
            args.set(i, new ImapArg.ListArg(List.copyOf(handle(sub, l.items()))));
        }
        return args;
    }

    static boolean isDirective(ImapArg a) {
        String s = ImapArg.atom(a);
        return s != null && s.startsWith("$!");
    }

    private static void parseDirectives(Ctx ctx, List<ImapArg> args) {
        for (ImapArg a : args) {
            if (!isDirective(a)) break;
            String d = ImapArg.atom(a).substring(2);
            if (d.startsWith("unordered")) {
                if (d.length() == 9) {
                    // plain
                } else if (d.charAt(9) == '=' && d.substring(10).matches("\\d{1,9}") && Integer.parseInt(d.substring(10)) > 0) {
                    ctx.chainCount = Integer.parseInt(d.substring(10));
                } else {
                    throw new IllegalArgumentException("Broken $!unordered directive");
                }
            } else if (!(d.equals("ordered") || d.equals("noextra") || d.equals("extra")
                    || d.startsWith("ignore=") || d.startsWith("ban="))) {
                throw new IllegalArgumentException("Unknown directive: " + d);
            }
            ctx.directives = true;
        }
    }

    private static void insert(List<ImapArg> args, String directive) {
        args.addFirst(new ImapArg.Atom(directive));
    }

    private static void addDefaultsFor(Ctx ctx, List<ImapArg> args) {
        if (ctx.parent == null) return;
        String name = ctx.replyName;
        boolean parentIsRoot = ctx.parent.parent == null && ctx.parent.parentChainIdx == 0;
        switch (name) {
            case "list", "lsub" -> {
                if (parentIsRoot && ctx.parentChainIdx == 1) insert(args, "$!unordered"); // list (flags) sep mailbox
            }
            case "status" -> {
                if (parentIsRoot && ctx.parentChainIdx == 2) insert(args, "$!unordered=2"); // status mbox (...)
            }
            case "fetch" -> {
                if (parentIsRoot && ctx.parentChainIdx == 2) {
                    insert(args, "$!unordered=2"); // n fetch (...)
                } else if (ctx.parent.parent != null && ctx.parent.parent.parent == null
                        && ctx.parent.parent.parentChainIdx == 0 && ctx.parent.parentChainIdx == 2
                        && "flags".equals(ctx.prevAtom)) {
                    insert(args, "$!unordered");
                    insert(args, "$!noextra");
                    insert(args, "$!ignore=\\recent");
                    insert(args, "$!ignore=$HasAttachment");
                    insert(args, "$!ignore=$HasNoAttachment");
                }
            }
            default -> { }
        }
    }
}

package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code sealpost group add|remove|list}: group addresses for small teams (local explosion: one
 * copy per member, duplicates across overlapping groups and aliases removed, loops stopped; no
 * list fields). docs/lists.md.
 */
@Command(name = "group", description = "Manage group addresses (expanded to their members, like aliases, with duplicates removed).",
        mixinStandardHelpOptions = true)
public final class GroupCommand {
    @Mixin
    StoreOptions store;

    @Command(name = "add", description = "Create GROUP if needed and add MEMBERs (accounts, aliases, other groups or remote addresses).")
    int add(@Parameters(paramLabel = "GROUP") String group, @Parameters(paramLabel = "MEMBER", arity = "0..*") List<String> members) {
        String g = AccountCommand.canonical(group);
        try (Store s = store.open()) {
            if (!s.lists().isGroup(g)) {
                s.lists().createGroup(g);
                System.out.println("added group " + g);
            }
            for (String m : members == null ? List.<String>of() : members) {
                String c = AccountCommand.canonical(m);
                System.out.println((s.lists().addGroupMember(g, c) ? "added " : "already in " + g + ": ") + c);
            }
        }
        return 0;
    }

    @Command(name = "remove", description = "Remove MEMBERs from GROUP; without MEMBER, delete the group.")
    int remove(@Parameters(paramLabel = "GROUP") String group, @Parameters(paramLabel = "MEMBER", arity = "0..*") List<String> members) {
        String g = AccountCommand.canonical(group);
        try (Store s = store.open()) {
            if (members == null || members.isEmpty()) {
                if (!s.lists().removeGroup(g)) throw new Main.UserError("no such group: " + g);
                System.out.println("removed group " + g);
                return 0;
            }
            for (String m : members) {
                String c = AccountCommand.canonical(m);
                System.out.println((s.lists().removeGroupMember(g, c) ? "removed " : "not in " + g + ": ") + c);
            }
        }
        return 0;
    }

    @Command(name = "list", description = "List groups, or the members of GROUP.")
    int list(@Parameters(paramLabel = "GROUP", arity = "0..1") String group) {
        try (Store s = store.open()) {
            if (group == null) {
                List<String> all = s.lists().groups();
                if (all.isEmpty()) System.out.println("no groups (add one with 'sealpost group add GROUP MEMBER...')");
                all.forEach(System.out::println);
                return 0;
            }
            String g = AccountCommand.canonical(group);
            if (!s.lists().isGroup(g)) throw new Main.UserError("no such group: " + g);
            s.lists().groupMembers(g).forEach(System.out::println);
        }
        return 0;
    }
}

package dev.sealpost.imap.search;

import dev.sealpost.imap.MessageView;
import dev.sealpost.message.Envelope;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/** THREAD (RFC 5256 §3): ORDEREDSUBJECT and REFERENCES, rendered as RFC 5256 §4 thread lists. */
public final class Threads {
    /** Most message IDs taken from one References field. */
    static final int MAX_REFERENCES = 1000;

    private Threads() {}

    /**
     * The thread lists of {@code matching} without the {@code * THREAD} prefix, e.g.
     * {@code (1 2)(3 (4)(5))}: message sequence numbers, or UIDs when {@code uid}.
     *
     * @throws IOException when a message's content cannot be read
     */
    public static String thread(ThreadCommand.Algorithm algorithm, List<? extends MessageView> matching, boolean uid) throws IOException {
        List<Node> roots = algorithm == ThreadCommand.Algorithm.ORDEREDSUBJECT ? orderedSubject(matching) : references(matching);
        StringBuilder b = new StringBuilder();
        for (Node r : roots) {
            b.append('(');
            members(r, uid, b);
            b.append(')');
        }
        return b.toString();
    }

    /** The untagged response (no CRLF): {@code * THREAD (1 2)(3)}, or {@code * THREAD} when nothing matched. */
    public static String response(ThreadCommand.Algorithm algorithm, List<? extends MessageView> matching, boolean uid) throws IOException {
        String t = thread(algorithm, matching, uid);
        return t.isEmpty() ? "* THREAD" : "* THREAD " + t;
    }

    /** One container (JWZ): a message, or a dummy ({@code msg == null}) standing for a referenced but absent one. */
    static final class Node {
        MessageView msg;
        Instant date;
        String baseSubject;
        boolean reply;
        Node parent;
        final List<Node> children = new ArrayList<>();

        boolean dummy() {
            return msg == null;
        }

        /** Sort date: the message's sent date, or a dummy's first child's (after sorting). */
        Instant sortDate() {
            if (msg != null) return date;
            return children.isEmpty() ? Instant.EPOCH : children.getFirst().sortDate();
        }

        int sortSeq() {
            if (msg != null) return msg.seq();
            return children.isEmpty() ? 0 : children.getFirst().sortSeq();
        }
    }

    private static final Comparator<Node> BY_DATE = Comparator.comparing(Node::sortDate).thenComparingInt(Node::sortSeq);

    /** RFC 5256 §4: thread-members = nz-number *(SP nz-number) [SP thread-nested]; thread-nested = 2*thread-list. */
    private static void members(Node n, boolean uid, StringBuilder b) {
        List<Node> kids = n.children;
        if (n.dummy()) {
            if (kids.size() == 1) {
                members(kids.getFirst(), uid, b);
                return;
            }
            for (Node k : kids) {
                b.append('(');
                members(k, uid, b);
                b.append(')');
            }
            return;
        }
        b.append(uid ? n.msg.uid() : n.msg.seq());
        if (kids.size() == 1) {
            b.append(' ');
            members(kids.getFirst(), uid, b);
        } else if (kids.size() > 1) {
            b.append(' ');
            for (Node k : kids) {
                b.append('(');
                members(k, uid, b);
                b.append(')');
            }
        }
    }

    private static Node node(MessageView m, Envelope env) {
        Node n = new Node();
        n.msg = m;
        n.date = Sort.sentDate(env, m);
        BaseSubject s = BaseSubject.of(env.subject());
        n.baseSubject = s.base();
        n.reply = s.replyOrForward();
        return n;
    }

    /**
     * RFC 5256 §3 ORDEREDSUBJECT: sort by base subject then sent date; each run of one base subject
     * is a thread whose first message is the parent of all the others; threads ordered by the sent
     * date of their first message.
     */
    static List<Node> orderedSubject(List<? extends MessageView> messages) throws IOException {
        List<Node> nodes = new ArrayList<>();
        for (MessageView m : messages) nodes.add(node(m, m.structure().envelope()));
        nodes.sort(Comparator.comparing((Node n) -> Sort.casemap(n.baseSubject)).thenComparing(BY_DATE));
        List<Node> roots = new ArrayList<>();
        Node current = null;
        String subject = null;
        for (Node n : nodes) {
            String s = Sort.casemap(n.baseSubject);
            if (current != null && s.equals(subject)) {
                current.children.add(n);
            } else {
                current = n;
                subject = s;
                roots.add(n);
            }
        }
        roots.sort(BY_DATE);
        return roots;
    }

    /** RFC 5256 §3 REFERENCES (steps 1-6). */
    static List<Node> references(List<? extends MessageView> messages) throws IOException {
        Map<String, Node> ids = new LinkedHashMap<>();
        int unique = 0;
        // (1) link the messages by their references
        for (MessageView m : messages) {
            MessageText t = new MessageText(m);
            Envelope env = m.structure().envelope();
            String id = MessageIds.first(env.messageId());
            Node c = id == null ? null : ids.get(id);
            if (c != null && c.msg != null) c = null; // (1A) a duplicate Message-ID gets a unique one
            if (c == null) {
                c = new Node();
                // (1A) messages without a valid Message-ID get a unique one (cannot collide: no "<")
                ids.put(id != null && !ids.containsKey(id) ? id : "unique " + unique++, c);
            }
            Node built = node(m, env);
            c.msg = m;
            c.date = built.date;
            c.baseSubject = built.baseSubject;
            c.reply = built.reply;

            List<String> refs = MessageIds.all(t.first("references"), MAX_REFERENCES);
            if (refs.isEmpty()) {
                // RFC 5256 §3 (1B): without References, the first Message ID of In-Reply-To
                String irt = MessageIds.first(env.inReplyTo());
                if (irt != null) refs = List.of(irt);
            }
            // (1B) link the references in order, keeping existing links, never making a loop
            Node prev = null;
            for (String ref : refs) {
                Node r = ids.computeIfAbsent(ref, k -> new Node());
                if (prev != null && r != prev && r.parent == null && !isAncestor(r, prev)) link(prev, r);
                prev = r;
            }
            // (1C) the last reference is the message's parent: break any existing link, then link
            // unless that would make a loop
            if (c.parent != null) unlink(c);
            if (prev != null && prev != c && !isAncestor(c, prev)) link(prev, c);
        }
        // (2) the root set
        List<Node> roots = new ArrayList<>();
        for (Node n : ids.values()) if (n.parent == null) roots.add(n);
        // (4) prune dummies
        roots = prune(roots, true);
        for (Node r : roots) r.parent = null;
        // (5) group the root set by base subject
        roots = groupBySubject(roots);
        // (6) sort siblings by sent date, deepest first
        sortTree(roots);
        return roots;
    }

    private static void link(Node parent, Node child) {
        child.parent = parent;
        parent.children.add(child);
    }

    private static void unlink(Node child) {
        child.parent.children.remove(child);
        child.parent = null;
    }

    /** Whether {@code a} is {@code b} or one of its ancestors. */
    private static boolean isAncestor(Node a, Node b) {
        int guard = 0;
        for (Node n = b; n != null && guard < 1_000_000; n = n.parent, guard++) if (n == a) return true;
        return false;
    }

    /**
     * (4) A dummy without children is deleted; a dummy with children is replaced by them, except
     * at the root level when it has more than one child.
     */
    private static List<Node> prune(List<Node> level, boolean root) {
        List<Node> out = new ArrayList<>(level.size());
        for (Node n : level) {
            if (!n.children.isEmpty()) {
                List<Node> kids = prune(n.children, false);
                n.children.clear();
                n.children.addAll(kids);
                for (Node k : kids) k.parent = n;
            }
            if (!n.dummy()) {
                out.add(n);
            } else if (!n.children.isEmpty()) {
                if (!root || n.children.size() == 1) {
                    for (Node k : n.children) k.parent = n.parent;
                    out.addAll(n.children);
                } else {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** (5) RFC 5256 §3 REFERENCES step 5. */
    private static List<Node> groupBySubject(List<Node> roots) {
        // (5A, 5B, 5C) the table of thread subjects
        Map<String, Node> table = new HashMap<>();
        for (Node n : roots) {
            String s = threadSubject(n);
            if (s == null) continue;
            Node t = table.get(s);
            if (t == null) {
                table.put(s, n);
            } else if (!t.dummy() && (n.dummy() || (t.reply && !n.reply))) {
                table.put(s, n);
            }
        }
        // (5D) merge
        Set<Node> removed = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Node, Node> replaced = new IdentityHashMap<>();
        for (Node n : new ArrayList<>(roots)) {
            if (removed.contains(n)) continue;
            String s = threadSubject(n);
            if (s == null) continue;
            Node t = table.get(s);
            if (t == null || t == n) continue;
            if (t.dummy() && n.dummy()) {
                for (Node k : n.children) link(t, k);
                n.children.clear();
                removed.add(n);
            } else if (t.dummy() && !n.dummy()) {
                link(t, n);
                removed.add(n);
            } else if (!t.dummy() && n.reply && !t.reply) {
                link(t, n);
                removed.add(n);
            } else {
                Node d = new Node();
                boolean tInRoots = t.parent == null;
                link(d, t);
                link(d, n);
                removed.add(n);
                if (tInRoots) replaced.put(t, d);
                table.put(s, d);
            }
        }
        List<Node> out = new ArrayList<>();
        for (Node n : roots) {
            if (removed.contains(n)) continue;
            Node r = n;
            while (replaced.containsKey(r)) r = replaced.get(r);
            r.parent = null;
            out.add(r);
        }
        return out;
    }

    /** (5B) the base subject of the message or, for a dummy, of its first child; null when empty. */
    private static String threadSubject(Node n) {
        Node m = n;
        if (m.dummy()) {
            if (m.children.isEmpty()) return null;
            m = m.children.getFirst();
        }
        String s = m.baseSubject;
        return s == null || s.isEmpty() ? null : Sort.casemap(s);
    }

    /** (6) sort every set of siblings by sent date (ties by sequence number), children before parents. */
    private static void sortTree(List<Node> level) {
        for (Node n : level) if (!n.children.isEmpty()) sortTree(n.children);
        level.sort(BY_DATE);
    }
}

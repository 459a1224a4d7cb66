package dev.sealpost.imap.fetch;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.Command;
import dev.sealpost.imap.proto.CommandReader;
import dev.sealpost.imap.proto.ReaderLimits;
import dev.sealpost.imap.proto.SequenceSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the FETCH scripts of Dovecot's imaptest (shared/conformance/imaptest/tests, format in
 * PEERS.md "imaptest script format") against {@link FetchRequest} and {@link FetchRenderer}
 * without a server: each {@code fetch} command of a script is parsed and rendered over the
 * script's mbox, and the responses are matched the way imaptest matches them (FETCH items in any
 * order with extra items allowed, FLAGS as a set, strings case-insensitive, {@code $var} bound
 * on first use). Commands other than FETCH ({@code status}, {@code store}, {@code uid fetch}) are
 * skipped with their expectations. The number of checked command groups is asserted so that a
 * script change or a parser regression cannot silently reduce coverage.
 */
class ImaptestFetchScriptsTest {

    @ParameterizedTest
    @CsvSource({
            "fetch, 8",
            "fetch-body, 24",
            "fetch-body-mime, 14",
            "fetch-body-message-rfc822, 8",
            "fetch-body-message-rfc822-mime, 13",
            "fetch-body-message-rfc822-x2, 9",
            "fetch-bodystructure, 1",
            "fetch-envelope, 1",
            "fetch-binary-mime, 10",
            "fetch-binary-mime-base64, 11",
            "fetch-binary-mime-qp, 7",
    })
    void script(String name, int groups) throws Exception {
        Path dir = TestMessage.imaptestDir();
        Path mbox = dir.resolve(name + ".mbox");
        List<TestMessage> messages = TestMessage.mbox(Files.exists(mbox) ? mbox : dir.resolve("default.mbox"));
        List<Group> script = parse(Files.readAllBytes(dir.resolve(name)));
        if (name.equals("fetch")) messages = messages.subList(0, 3); // "messages: 3"
        int checked = 0;
        List<String> failures = new ArrayList<>();
        Map<String, Arg> vars = new HashMap<>();
        for (Group g : script) {
            String cmd = new String(g.command, StandardCharsets.ISO_8859_1);
            if (!cmd.regionMatches(true, 0, "ok fetch ", 0, 9)) continue;
            List<List<Arg>> responses;
            try {
                responses = run(cmd.substring(3), messages);
            } catch (Exception e) {
                failures.add(cmd + ": " + e);
                continue;
            }
            checked++;
            for (Expect e : g.expected) {
                boolean found = false;
                for (List<Arg> r : responses) {
                    Map<String, Arg> trial = new HashMap<>(vars);
                    if (matchResponse(e.args, r, trial)) {
                        found = true;
                        if (e.mustExist) vars = trial;
                        break;
                    }
                }
                if (found != e.mustExist) {
                    failures.add(cmd + "\n  expected " + (e.mustExist ? "" : "no ") + "match for " + e.text
                            + "\n  got " + responses);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).isEqualTo(groups);
    }

    // ---- the server side: FETCH over the messages --------------------------------------------

    private static List<List<Arg>> run(String fetchCommand, List<TestMessage> messages) throws Exception {
        Command c = tokenize(("t " + fetchCommand).getBytes(StandardCharsets.ISO_8859_1));
        SequenceSet set = SequenceSet.parse(Arg.text(c.args().get(0)));
        FetchRequest req = FetchRequest.parse(c.args().subList(1, c.args().size()));
        List<List<Arg>> out = new ArrayList<>();
        for (TestMessage m : messages) {
            if (!set.contains(m.seq(), messages.size())) continue;
            FetchRequest r = req;
            if (req.setsSeen() && m.flags.add("\\Seen")) r = req.withFlags(); // what the session does
            byte[] list = FetchRenderer.render(r, m);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            line.writeBytes(("x " + m.seq() + " FETCH ").getBytes(StandardCharsets.US_ASCII));
            line.writeBytes(list);
            out.add(flat(tokenize(line.toByteArray())));
        }
        return out;
    }

    /** The "name" (here the sequence number) and the arguments of a tokenized response line. */
    private static List<Arg> flat(Command c) {
        List<Arg> out = new ArrayList<>();
        out.add(new Arg.Atom(c.name()));
        out.addAll(c.args());
        return out;
    }

    /** Tokenizes one line (plus literals) with our own command reader: tag, name, arguments. */
    private static Command tokenize(byte[] line) throws IOException, CommandReader.ReadError {
        byte[] in = new byte[line.length + 2];
        System.arraycopy(line, 0, in, 0, line.length);
        in[line.length] = '\r';
        in[line.length + 1] = '\n';
        ReaderLimits limits = new ReaderLimits(1 << 20, 1 << 20, 1 << 20, 1 << 20, 16 << 20, 32, 100_000, false);
        Command c = new CommandReader(new ByteArrayInputStream(in), limits, null, () -> { }).read();
        if (c == null) throw new IOException("incomplete line: " + new String(line, StandardCharsets.ISO_8859_1));
        return c;
    }

    // ---- the imaptest side: script parsing and matching ----------------------------------------

    private record Expect(boolean mustExist, List<Arg> args, String text) {}

    private record Group(byte[] command, List<Expect> expected) {}

    /** Script lines after the header, with imaptest's {@code {{{ ... }}}} and {@code ~{{{ ... }}}} turned into literals. */
    private static List<Group> parse(byte[] file) throws Exception {
        String text = new String(file, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length && !lines[i].isEmpty()) i++; // header
        List<Group> groups = new ArrayList<>();
        Group cur = null;
        for (; i < lines.length; i++) {
            String l = lines[i];
            if (l.isEmpty()) {
                cur = null;
                continue;
            }
            if (l.startsWith("#")) continue;
            ByteArrayOutputStream logical = new ByteArrayOutputStream();
            while (l.endsWith("{{{")) {
                boolean binary = l.endsWith("~{{{");
                logical.writeBytes(l.substring(0, l.length() - (binary ? 4 : 3)).getBytes(StandardCharsets.ISO_8859_1));
                StringBuilder content = new StringBuilder();
                boolean firstLine = true;
                i++;
                while (!lines[i].startsWith("}}}")) {
                    if (!firstLine) content.append(binary ? "\n" : "\r\n");
                    content.append(lines[i]);
                    firstLine = false;
                    i++;
                }
                byte[] c = content.toString().getBytes(StandardCharsets.ISO_8859_1);
                logical.writeBytes(((binary ? "~{" : "{") + c.length + "}\r\n").getBytes(StandardCharsets.US_ASCII));
                logical.writeBytes(c);
                l = lines[i].substring(3);
            }
            logical.writeBytes(l.getBytes(StandardCharsets.ISO_8859_1));
            byte[] b = logical.toByteArray();
            String s = new String(b, StandardCharsets.ISO_8859_1);
            if (s.startsWith("* ") || s.startsWith("! ")) {
                byte[] rest = new byte[b.length];
                System.arraycopy("x ".getBytes(StandardCharsets.US_ASCII), 0, rest, 0, 2);
                System.arraycopy(b, 2, rest, 2, b.length - 2);
                cur.expected.add(new Expect(s.startsWith("* "), flat(tokenize(rest)), s));
            } else {
                cur = new Group(b, new ArrayList<>());
                groups.add(cur);
            }
        }
        return groups;
    }

    /** {@code seq FETCH (list)}: expected "1 fetch (...)" against our "1 FETCH (...)". */
    private static boolean matchResponse(List<Arg> expected, List<Arg> actual, Map<String, Arg> vars) {
        if (expected.size() != 3 || actual.size() != 3) return false;
        if (!match(expected.get(0), actual.get(0), vars) || !match(expected.get(1), actual.get(1), vars)) return false;
        return fetchList((Arg.ListArg) expected.get(2), (Arg.ListArg) actual.get(2), vars);
    }

    /** imaptest's default {@code $!unordered=2} for FETCH lists: every expected pair is in the response. */
    private static boolean fetchList(Arg.ListArg exp, Arg.ListArg act, Map<String, Arg> vars) {
        List<Arg> e = exp.items(), a = act.items();
        for (int i = 0; i + 1 < e.size(); i += 2) {
            String name = Arg.text(e.get(i));
            boolean found = false;
            for (int j = 0; j + 1 < a.size(); j += 2) {
                if (!name.equalsIgnoreCase(Arg.text(a.get(j)))) continue;
                Arg ev = e.get(i + 1), av = a.get(j + 1);
                found = name.equalsIgnoreCase("flags") ? flags(ev, av) : match(ev, av, vars);
                break;
            }
            if (!found) return false;
        }
        return true;
    }

    private static boolean flags(Arg exp, Arg act) {
        if (!(exp instanceof Arg.ListArg e) || !(act instanceof Arg.ListArg a)) return false;
        List<String> x = new ArrayList<>(), y = new ArrayList<>();
        for (Arg f : e.items()) x.add(Arg.text(f).toLowerCase());
        for (Arg f : a.items()) if (!Arg.text(f).equalsIgnoreCase("\\recent")) y.add(Arg.text(f).toLowerCase());
        return x.size() == y.size() && y.containsAll(x);
    }

    private static boolean match(Arg exp, Arg act, Map<String, Arg> vars) {
        if (exp instanceof Arg.Atom at && at.value().startsWith("$")) {
            String v = at.value();
            if (v.equals("$")) return true;
            Arg bound = vars.get(v.toLowerCase());
            if (bound == null) {
                vars.put(v.toLowerCase(), act);
                return true;
            }
            return match(bound, act, vars);
        }
        if (exp instanceof Arg.ListArg el) {
            if (!(act instanceof Arg.ListArg al)) return false;
            List<Arg> e = el.items();
            if (!e.isEmpty() && e.get(0) instanceof Arg.Atom d && d.value().startsWith("$!")) return true; // directives: not modelled
            if (e.size() != al.items().size()) return false;
            for (int i = 0; i < e.size(); i++) if (!match(e.get(i), al.items().get(i), vars)) return false;
            return true;
        }
        if (act instanceof Arg.ListArg) return false;
        String x = exp instanceof Arg.Str s ? new String(s.value(), StandardCharsets.ISO_8859_1) : Arg.text(exp);
        String y = act instanceof Arg.Str s ? new String(s.value(), StandardCharsets.ISO_8859_1) : Arg.text(act);
        if (exp instanceof Arg.Atom ea && ea.is("NIL") != (act instanceof Arg.Atom aa && aa.is("NIL"))) return false;
        return x.equalsIgnoreCase(y);
    }
}

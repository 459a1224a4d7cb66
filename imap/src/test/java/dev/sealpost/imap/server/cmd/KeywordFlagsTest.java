package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new keyword is announced with FLAGS and PERMANENTFLAGS before any FETCH carries it, in every
 * session with the mailbox selected (RFC 9051 §7.3.5, §2.3.2; RFC 3501 §7.2.6): issue 11's
 * "FETCH before FLAGS" defect.
 */
class KeywordFlagsTest extends CommandTestBase {

    @Test
    void storeOfANewKeywordIsAnnouncedToBothSessionsFirst() throws Exception {
        seed("INBOX", null, msg("1"), msg("2"));
        Conn a = selected("INBOX");
        Conn b = selected("INBOX");
        Transcript.play(a, """
                C: a1 STORE 1 +FLAGS ($Label1)
                # the session that creates the keyword learns it before its own STORE response uses it
                S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)
                S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 \\*)] Flags permitted
                S: * 1 FETCH (FLAGS ($Label1))
                S: a1 OK STORE completed
                C: a2 STORE 2 +FLAGS ($Label1)
                # known now: no second FLAGS
                S: * 2 FETCH (FLAGS ($Label1))
                S: a2 OK STORE completed
                """);
        Transcript.play(b, """
                C: b1 NOOP
                S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)
                S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 \\*)] Flags permitted
                S: * 1 FETCH (UID 1 FLAGS ($Label1))
                S: * 2 FETCH (UID 2 FLAGS ($Label1))
                S: b1 OK NOOP completed
                """);
        // a keyword set by another session while this one FETCHes: the FETCH shows the view it has,
        // the change comes after, announced first
        a.cmd("STORE 1 +FLAGS ($Label2)");
        Transcript.play(b, """
                C: b2 FETCH 1 (FLAGS)
                S: * 1 FETCH (FLAGS ($Label1))
                S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 $Label2)
                S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 $Label2 \\*)] Flags permitted
                S: * 1 FETCH (UID 1 FLAGS ($Label1 $Label2))
                S: b2 OK FETCH completed
                """);
        // SELECT names the keywords in use in both FLAGS and PERMANENTFLAGS
        Transcript.play(b, """
                C: b3 SELECT INBOX
                S? * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 $Label2)
                S? * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 $Label2 \\*)] Flags permitted
                S? * 2 EXISTS
                S? * OK [UNSEEN 1] First unseen
                S? * OK [UIDVALIDITY …] UIDs valid
                S? * OK [UIDNEXT 3] Predicted next UID
                S: b3 OK [READ-WRITE] SELECT completed
                """);
    }

    @Test
    void implicitSeenOfFetchCarriesAnotherSessionsNewKeywordOnlyAfterFlags() throws Exception {
        // FETCH BODY[] sets \Seen (RFC 9051 §6.4.5) and answers with the message's flags as the store
        // has them now, which may hold a keyword another session just created
        seed("INBOX", null, msg("1"));
        Conn a = selected("INBOX");
        Conn b = selected("INBOX");
        a.cmd("STORE 1 +FLAGS ($Fresh)");
        List<String> r = b.cmd("FETCH 1 (BODY[HEADER.FIELDS (SUBJECT)])");
        assertOrdered(r, new TreeSet<>(Set.of("\\answered", "\\flagged", "\\deleted", "\\seen", "\\draft", "\\recent")));
        assertThat(String.join("\n", r)).contains("$Fresh");
    }

    @Test
    void idleSessionIsToldFirst() throws Exception {
        seed("INBOX", null, msg("1"));
        Conn a = selected("INBOX");
        Conn idler = selected("INBOX");
        Transcript.play(idler, """
                C: i1 IDLE
                S: + …
                """);
        a.cmd("STORE 1 +FLAGS ($Label3)");
        Transcript.play(idler, """
                S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label3)
                S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label3 \\*)] Flags permitted
                S: * 1 FETCH (UID 1 FLAGS ($Label3))
                C: DONE
                S: i1 OK IDLE terminated
                """);
    }

    @Test
    void notifySessionIsToldFirst() throws Exception {
        // RFC 5465 §5.1: with NOTIFY, flag changes in the selected mailbox come between commands
        seed("INBOX", null, msg("1"));
        Conn n = selected("INBOX");
        Conn w = selected("INBOX");
        Transcript.play(n, """
                C: n1 NOTIFY SET (SELECTED (MessageNew MessageExpunge FlagChange))
                S: n1 OK NOTIFY completed
                """);
        w.cmd("STORE 1 +FLAGS ($Label4)");
        Transcript.play(n, """
                S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label4)
                S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label4 \\*)] Flags permitted
                S: * 1 FETCH (UID 1 FLAGS ($Label4))
                """);
    }

    private static final Pattern FETCH_FLAGS = Pattern.compile("^\\* \\d+ FETCH \\(.*?FLAGS \\(([^)]*)\\)", Pattern.DOTALL);
    private static final Pattern FLAGS = Pattern.compile("^\\* FLAGS \\(([^)]*)\\)");

    /**
     * Checks one connection's responses in order: every keyword of a FETCH was named by a FLAGS
     * response before it. {@code known} starts with what SELECT announced.
     */
    private static int assertOrdered(List<String> lines, Set<String> known) {
        int fetches = 0;
        for (String l : lines) {
            Matcher f = FLAGS.matcher(l);
            if (f.find()) {
                known.clear();
                for (String x : f.group(1).split(" ")) if (!x.isEmpty()) known.add(x.toLowerCase(Locale.ROOT));
                known.add("\\recent");
                continue;
            }
            Matcher m = FETCH_FLAGS.matcher(l);
            if (!m.find()) continue;
            fetches++;
            for (String x : m.group(1).split(" ")) {
                if (x.isEmpty()) continue;
                assertThat(known).as("keyword %s in \"%s\" after FLAGS %s", x, l, known).contains(x.toLowerCase(Locale.ROOT));
            }
        }
        return fetches;
    }

    @Test
    void concurrentNewKeywordsNeverReachAFetchBeforeFlags() throws Exception {
        int writers = 4, perWriter = 12;
        seed("INBOX", null, msg("1"), msg("2"), msg("3"));
        Conn idler = selected("INBOX");
        Conn nooper = selected("INBOX");
        List<Conn> ws = new ArrayList<>();
        for (int i = 0; i < writers; i++) ws.add(selected("INBOX"));
        Set<String> base = new TreeSet<>(Set.of("\\answered", "\\flagged", "\\deleted", "\\seen", "\\draft", "\\recent"));
        idler.send("i1 IDLE");
        assertThat(idler.line()).startsWith("+ ");
        List<String> idleLines = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<?> reader = pool.submit(() -> {
                while (true) {
                    String l = idler.line();
                    idleLines.add(l);
                    if (l.startsWith("i1 ")) return null;
                }
            });
            List<Future<List<String>>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Conn c = ws.get(w);
                int id = w;
                done.add(pool.submit(() -> {
                    List<String> seen = new ArrayList<>();
                    for (int k = 0; k < perWriter; k++) {
                        // $Label1..$Label5 as in the report, then keywords of this writer's own
                        String kw = k < 5 ? "$Label" + (k + 1) : "$W" + id + "K" + k;
                        seen.addAll(c.cmd("STORE " + (1 + (k + id) % 3) + " +FLAGS (" + kw + ")"));
                        if (k % 3 == 0) seen.addAll(c.cmd("FETCH 1:* (FLAGS)"));
                    }
                    seen.addAll(c.cmd("NOOP"));
                    return seen;
                }));
            }
            List<String> nooped = new ArrayList<>();
            boolean writing = true;
            while (writing) {
                nooped.addAll(nooper.cmd("NOOP"));
                writing = done.stream().anyMatch(f -> !f.isDone());
            }
            nooped.addAll(nooper.cmd("NOOP")); // after the last STORE
            nooped.addAll(nooper.cmd("FETCH 1:* (FLAGS)"));
            int fetches = 0;
            for (Future<List<String>> f : done) fetches += assertOrdered(f.get(), new TreeSet<>(base));
            fetches += assertOrdered(nooped, new TreeSet<>(base));
            Thread.sleep(300); // the idler's poll interval is 200 ms
            idler.send("DONE");
            reader.get();
            fetches += assertOrdered(idleLines, new TreeSet<>(base));
            assertThat(idleLines.getLast()).isEqualTo("i1 OK IDLE terminated");
            // every session saw every keyword in the end
            String last = String.join(" ", nooped.subList(nooped.size() - 4, nooped.size()));
            assertThat(last).contains("$Label5", "$W" + (writers - 1) + "K" + (perWriter - 1));
            assertThat(fetches).isGreaterThan(writers * perWriter);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keywordsPerMailboxAreBoundedWithLimitAndPermanentFlagsDropsTheWildcard() throws Exception {
        seed("INBOX", null, msg("1"), msg("2"));
        dev.sealpost.imap.server.ImapServerConfig cfg = config(false, true);
        int p = start(cfg.withLimits(cfg.limits().withMaxKeywords(2)));
        Conn a = connect(p);
        assertThat(a.status("LOGIN " + ALICE + " " + PW)).startsWith("OK ");
        Transcript.play(a, """
                C: a1 SELECT INBOX
                S? * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)
                S? * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted
                S? * 2 EXISTS
                S? * OK [UNSEEN 1] First unseen
                S? * OK [UIDVALIDITY …] UIDs valid
                S? * OK [UIDNEXT 3] Predicted next UID
                S: a1 OK [READ-WRITE] SELECT completed
                C: a2 STORE 1 +FLAGS ($Label1)
                S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)
                S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 \\*)] Flags permitted
                S: * 1 FETCH (FLAGS ($Label1))
                S: a2 OK STORE completed
                # the second keyword reaches the limit: \\* is no longer offered (RFC 9051 §7.1)
                C: a3 STORE 2 +FLAGS ($Label2 \\Seen)
                S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 $Label2)
                S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 $Label2)] Flags permitted
                S: * 2 FETCH (FLAGS (\\Seen $Label2))
                S: a3 OK STORE completed
                # a third is refused, the whole STORE with it (RFC 5530 §3 LIMIT)
                C: a4 STORE 1 +FLAGS ($Label3 \\Flagged)
                S: a4 NO [LIMIT] At most 2 keywords per mailbox; use one it already has
                C: a5 STORE 1 FLAGS (\\Flagged $LABEL3)
                S: a5 NO [LIMIT] At most 2 keywords per mailbox; use one it already has
                # keywords it has (in any case) and system flags still work
                C: a6 STORE 2 +FLAGS ($Label1 \\Flagged)
                S: * 2 FETCH (FLAGS (\\Flagged \\Seen $Label1 $Label2))
                S: a6 OK STORE completed
                C: a7 APPEND INBOX (\\Seen $Label3) {auto+}
                C| Subject: three
                C|
                C| body
                C:
                S: a7 NO [LIMIT] At most 2 keywords per mailbox; use one it already has
                C: a8 APPEND INBOX (\\Seen $Label2) {auto+}
                C| Subject: two
                C|
                C| body
                C:
                S? * 3 EXISTS
                S~ a8 OK \\[APPENDUID .*
                C: a9 SELECT INBOX
                S? * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 $Label2)
                S? * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 $Label2)] Flags permitted
                S? * 3 EXISTS
                S? * OK [UNSEEN 1] First unseen
                S? * OK [UIDVALIDITY …] UIDs valid
                S? * OK [UIDNEXT 4] Predicted next UID
                S: a9 OK [READ-WRITE] SELECT completed
                """);
        // the default server (256) is not affected; its session learns the keywords as before
        Conn b = selected("INBOX");
        assertThat(b.cmd("STORE 1 +FLAGS ($Label3)")).anyMatch(l -> l.contains("$Label3 \\*)] Flags permitted"));
    }
}

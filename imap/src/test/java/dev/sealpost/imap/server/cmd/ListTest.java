package dev.sealpost.imap.server.cmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** LIST (RFC 9051 §6.3.9, LIST-EXTENDED RFC 5258, LIST-STATUS RFC 5819). */
class ListTest extends CommandTestBase {

    @Test
    void rfc9051EmptyPatternExample() throws Exception {
        Conn c = login(ALICE);
        Transcript.play(c, """
                C: A101 LIST "" ""
                S: * LIST (\\Noselect) "/" ""
                S: A101 OK LIST completed
                """);
    }

    @Test
    void rfc9051PercentExample() throws Exception {
        // RFC: "LIST ~/Mail/ %" with ~/Mail/foo (\\Noselect, has children) and ~/Mail/meetings
        Conn c = login(ALICE);
        c.cmd("CREATE Mail/foo/x");
        c.cmd("DELETE Mail/foo");
        c.cmd("CREATE Mail/meetings");
        Transcript.play(c, """
                C: A202 LIST Mail/ %
                S: * LIST (\\Noselect \\HasChildren) "/" "Mail/foo"
                S: * LIST (\\HasNoChildren) "/" "Mail/meetings"
                S: A202 OK LIST completed
                """);
    }

    @Test
    void rfc5258Examples() throws Exception {
        Conn c = login(ALICE);
        for (String m : new String[] {"Fruit", "Fruit/Apple", "Fruit/Banana", "Tofu", "Vegetable", "Vegetable/Broccoli", "Vegetable/Corn"}) {
            c.cmd("CREATE " + m);
        }
        for (String m : new String[] {"INBOX", "Fruit/Banana", "Vegetable", "Vegetable/Broccoli"}) c.cmd("SUBSCRIBE " + m);
        // Fruit/Peach is subscribed in the RFC but does not exist; this server refuses to subscribe
        // non-existent names, so it is created, subscribed and deleted
        c.cmd("CREATE Fruit/Peach");
        c.cmd("SUBSCRIBE Fruit/Peach");
        c.cmd("DELETE Fruit/Peach");
        // RFC 5258 §5 examples 1-3; the RFC's INBOX carries \\Marked \\NoInferiors, this one \\HasNoChildren
        Transcript.play(c, """
                C: A01 LIST "" "*"
                S: * LIST (\\HasNoChildren) "/" "INBOX"
                S: * LIST (\\HasChildren) "/" "Fruit"
                S: * LIST (\\HasNoChildren) "/" "Fruit/Apple"
                S: * LIST (\\HasNoChildren) "/" "Fruit/Banana"
                S: * LIST (\\HasNoChildren) "/" "Tofu"
                S: * LIST (\\HasChildren) "/" "Vegetable"
                S: * LIST (\\HasNoChildren) "/" "Vegetable/Broccoli"
                S: * LIST (\\HasNoChildren) "/" "Vegetable/Corn"
                S: A01 OK LIST completed
                C: A02 LIST (SUBSCRIBED) "" "*"
                S: * LIST (\\HasNoChildren \\Subscribed) "/" "INBOX"
                S: * LIST (\\HasNoChildren \\Subscribed) "/" "Fruit/Banana"
                S: * LIST (\\NonExistent \\Subscribed) "/" "Fruit/Peach"
                S: * LIST (\\HasChildren \\Subscribed) "/" "Vegetable"
                S: * LIST (\\HasNoChildren \\Subscribed) "/" "Vegetable/Broccoli"
                S: A02 OK LIST completed
                C: A03 LIST () "" "%" RETURN (CHILDREN)
                S: * LIST (\\HasNoChildren) "/" "INBOX"
                S: * LIST (\\HasChildren) "/" "Fruit"
                S: * LIST (\\HasNoChildren) "/" "Tofu"
                S: * LIST (\\HasChildren) "/" "Vegetable"
                S: A03 OK LIST completed
                C: A04 LIST (SUBSCRIBED RECURSIVEMATCH) "" "%"
                S: * LIST (\\HasNoChildren \\Subscribed) "/" "INBOX"
                S: * LIST (\\HasChildren) "/" "Fruit" ("CHILDINFO" ("SUBSCRIBED"))
                # RFC 5258 §5 prints CHILDINFO on Vegetable too, which is itself subscribed; this server
                # sends CHILDINFO only for mailboxes selected because of a subscribed child (§3.5 requires it
                # there); both are accepted
                S~ \\* LIST \\(\\\\HasChildren \\\\Subscribed\\) "/" "Vegetable"( \\("CHILDINFO" \\("SUBSCRIBED"\\)\\))?
                S: A04 OK LIST completed
                """);
    }

    @Test
    void rfc5819ListStatusExample() throws Exception {
        seed("INBOX", null, msg("a"), msg("b"));
        Conn c = login(ALICE);
        c.cmd("CREATE foo");
        Transcript.play(c, """
                C: A01 LIST "" % RETURN (STATUS (MESSAGES UNSEEN))
                S: * LIST (\\HasNoChildren) "/" "INBOX"
                S: * STATUS "INBOX" (MESSAGES 2 UNSEEN 2)
                S: * LIST (\\HasNoChildren) "/" "foo"
                S: * STATUS "foo" (MESSAGES 0 UNSEEN 0)
                S: A01 OK LIST completed
                """);
    }

    @Test
    void errors() throws Exception {
        Conn c = connect();
        assertThat(c.status("LIST \"\" *")).startsWith("BAD ");
        c.cmd("LOGIN " + ALICE + " " + PW);
        Transcript.play(c, """
                C: a1 LIST ""
                S: a1 BAD …
                C: a2 LIST (FOO) "" *
                S: a2 BAD …
                C: a3 LIST (RECURSIVEMATCH) "" *
                S: a3 BAD …
                C: a4 LIST "" * RETURN (BAR)
                S: a4 BAD …
                C: a5 LIST "" nosuch
                S: a5 OK LIST completed
                """);
    }

    @Test
    void backtrackingPatternAnswersAtOnce() throws Exception {
        // issue 11: with a regex of ".*" per wildcard this LIST took 429 s against a 200-"a" name
        Conn c = login(ALICE);
        String a200 = "a".repeat(200);
        c.cmd("CREATE " + a200);
        c.cmd("CREATE " + a200 + "b");
        long t0 = System.nanoTime();
        Transcript.play(c, """
                C: A1 LIST "" "*a*a*a*a*a*b"
                S: * LIST (\\HasNoChildren) "/" "%sb"
                S: A1 OK LIST completed
                C: A2 LIST "" "%%a%%a%%a%%a%%a%%a%%a%%b/%%"
                S: A2 OK LIST completed
                C: A3 LSUB "" "*a*a*a*a*a*b"
                S: A3 OK LSUB completed
                C: A4 LIST "" "inbox"
                S: * LIST (\\HasNoChildren) "/" "INBOX"
                S: A4 OK LIST completed
                """.formatted(a200));
        // generous: the point is seconds against minutes, not a timing
        assertThat(System.nanoTime() - t0).isLessThan(30_000_000_000L);
    }

    @Test
    void patternBounds() throws Exception {
        Conn c = login(ALICE);
        // more patterns than one LIST may carry, and a pattern longer than any mailbox name could match
        assertThat(c.status("LIST \"\" (" + "a ".repeat(65).strip() + ")")).startsWith("BAD Too many LIST patterns");
        assertThat(c.status("LIST \"\" " + "*a".repeat(1100))).startsWith("BAD LIST pattern too long");
        assertThat(c.status("LIST \"\" (" + "a ".repeat(64).strip() + ")")).isEqualTo("OK LIST completed");
        // the work of one command is bounded: the longest pattern against 30 of the longest names
        // is about 1 M steps a name, past the 20 M budget
        for (int i = 0; i < 30; i++) c.cmd("CREATE " + (char) ('c' + i % 20) + i + "a".repeat(990));
        assertThat(c.status("LIST \"\" " + "*a".repeat(1023) + "*b")).startsWith("NO [LIMIT] ");
        assertThat(c.status("LIST \"\" *")).isEqualTo("OK LIST completed");
    }
}

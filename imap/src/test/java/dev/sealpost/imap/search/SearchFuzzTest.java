package dev.sealpost.imap.search;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Fuzz targets for the two kinds of untrusted input here: command arguments (SEARCH, SORT, THREAD
 * grammar) and message content (decoding for text keys, sort keys, base subjects, threading).
 * Neither may throw anything but the syntax and charset exceptions. {@link #seeds()} runs
 * hand-picked inputs in every build.
 */
class SearchFuzzTest {
    static final SearchContext CTX = new SearchContext(3, 30, Set.of(10L), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), true);

    @FuzzTest(maxDuration = "60s")
    void commandArguments(byte[] data) throws IOException {
        String text = new String(data, StandardCharsets.UTF_8);
        List<Arg> args;
        try {
            args = ImaptestScriptsTest.Tokens.parse(text);
        } catch (ImapSyntaxException | RuntimeException e) {
            return; // the test tokenizer is not under test
        }
        TestMessage m = TestMessage.of(1, "From: a@b\nSubject: Re: x\n\nbody\n");
        try {
            SearchCommand c = SearchCommand.parse(args);
            Search.matches(c.key(), m, CTX);
            Search.esearchResponse("t", false, c.returnOptions(), c.partial(), List.of(1L, 2L, 3L), null);
        } catch (ImapSyntaxException | BadCharsetException e) {
            // expected for most inputs
        }
        try {
            SortCommand s = SortCommand.parse(args);
            Sort.sort(s.criteria(), List.of(m, TestMessage.of(2, "Subject: y\n\nz\n")));
        } catch (ImapSyntaxException | BadCharsetException e) {
            // expected
        }
        try {
            ThreadCommand t = ThreadCommand.parse(args);
            Threads.thread(t.algorithm(), List.of(m), false);
        } catch (ImapSyntaxException | BadCharsetException e) {
            // expected
        }
    }

    static final SearchKey EVERYTHING = new SearchKey.And(List.of(
            new SearchKey.Or(new SearchKey.Text("zz\u00fc"), new SearchKey.Body("a")),
            new SearchKey.Or(new SearchKey.Address("from", "x"), new SearchKey.Address("to", "")),
            new SearchKey.Or(new SearchKey.Header("subject", "re"), new SearchKey.Header("x-y", "")),
            new SearchKey.Not(new SearchKey.DateKey(SearchKey.DateField.SENT, SearchKey.DateOp.ON, java.time.LocalDate.EPOCH))));

    @FuzzTest(maxDuration = "60s")
    void messageContent(byte[] data) throws IOException {
        int half = data.length / 2;
        TestMessage a = new TestMessage(1, 1, Instant.EPOCH, Arrays.copyOfRange(data, 0, half));
        TestMessage b = new TestMessage(2, 2, Instant.EPOCH, Arrays.copyOfRange(data, half, data.length));
        Search.matches(EVERYTHING, a, CTX);
        Search.matches(EVERYTHING, b, CTX);
        List<SortCriterion> all = Arrays.stream(SortCriterion.Key.values()).map(k -> new SortCriterion(k, false)).toList();
        Sort.sort(all, List.of(a, b));
        Threads.thread(ThreadCommand.Algorithm.REFERENCES, List.of(a, b), true);
        Threads.thread(ThreadCommand.Algorithm.ORDEREDSUBJECT, List.of(a, b), false);
    }

    @Test
    void seeds() throws IOException {
        for (String s : List.of("", "ALL", "RETURN (PARTIAL -1:-5 MIN) CHARSET UTF-8 OR (1:* UID $) NOT TEXT x",
                "(REVERSE DATE) UTF-8 ALL", "REFERENCES UTF-8 ALL", "MODSEQ \"/flags/\\\\seen\" all 1", "((((((",
                "HEADER \"\" x", "RETURN (PARTIAL 4294967295:4294967296) ALL", "OR OR OR")) {
            commandArguments(s.getBytes(StandardCharsets.UTF_8));
        }
        for (String s : List.of("", "\r\n", "Subject: =?x?q?=ZZ?=\r\nReferences: <a@b> <<c>> (x<d>)\r\nIn-Reply-To: \"<q>\" <e@f>\r\n\r\n",
                "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Transfer-Encoding: base64\r\n\r\n====\r\n--x\r\n"
                        + "Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/plain; charset=bogus\r\n\r\n=\r\n=Z\r\n--x--\r\n",
                "Date: Mon, 99 Foo 2024 99:99:99 +9999\r\nFrom: (:<>@;\r\nTo: g:;,,\r\nSubject: [fwd: [fwd: (fwd)]]\r\n\r\n")) {
            messageContent(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}

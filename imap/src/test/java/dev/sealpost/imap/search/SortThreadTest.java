package dev.sealpost.imap.search;

import dev.sealpost.imap.MessageView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SortThreadTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Re: hello|hello|true",
            "RE: [list] Re: hello (fwd)|hello|true",
            "[list] hello|hello|false",
            "[list]|[list]|false",
            "Fwd: [fwd: Re: x]|x|true",
            "[Fwd: hello]|hello|true",
            "re :hello|hello|true",
            "rehello|rehello|false",
            "Re[2]: hello|hello|true",
            "Fw: a|a|true",
            "Antw: a|Antw: a|false",
            "  a   b  |a b|false",
            "=?utf-8?q?Re=3A_caf=C3=A9?=|café|true",
            "(fwd)|''|true",
            "''|''|false"})
    void baseSubject(String subject, String base, boolean reply) {
        BaseSubject b = BaseSubject.of(subject);
        assertThat(b.base()).isEqualTo(base);
        assertThat(b.replyOrForward()).isEqualTo(reply);
    }

    @Test
    void rfc5322Dates() {
        assertThat(DateTimes.rfc5322("Sat, 24 Mar 2007 23:00:00 +0200")).isEqualTo(OffsetDateTime.parse("2007-03-24T23:00:00+02:00"));
        assertThat(DateTimes.rfc5322("1 Jan 99 10:00 EST")).isEqualTo(OffsetDateTime.parse("1999-01-01T10:00:00-05:00"));
        assertThat(DateTimes.rfc5322("Mon, 3 Feb 2020 04:05:06 GMT (comment)")).isEqualTo(OffsetDateTime.parse("2020-02-03T04:05:06Z"));
        assertThat(DateTimes.rfc5322("Mon, 3 Feb 2020 04:05:06 -0000")).isEqualTo(OffsetDateTime.parse("2020-02-03T04:05:06Z"));
        assertThat(DateTimes.rfc5322("yesterday")).isNull();
        assertThat(DateTimes.rfc5322("31 Feb 2020 00:00 +0000")).isNull();
        assertThat(DateTimes.rfc5322(null)).isNull();
        assertThat(DateTimes.imapDate("1-Feb-1994")).hasToString("1994-02-01");
        assertThat(DateTimes.imapDate("01-feb-1994")).hasToString("1994-02-01");
        assertThat(DateTimes.imapDate("1-Feb-94")).isNull();
    }

    static TestMessage msg(int seq, String headers) {
        return new TestMessage(seq, seq * 10L, Instant.parse("2024-01-01T00:00:00Z").plusSeconds(seq),
                (headers.replace("\n", "\r\n") + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
    }

    static List<Integer> seqs(List<MessageView> l) {
        List<Integer> out = new ArrayList<>();
        for (MessageView m : l) out.add(m.seq());
        return out;
    }

    @Test
    void sortByCriteriaWithSeqTieBreak() throws Exception {
        List<TestMessage> box = List.of(
                msg(1, "From: Zed <zed@x>\nSubject: Re: beta\nDate: Tue, 2 Jan 2024 00:00:00 +0000\nCc: b@x"),
                msg(2, "From: alice@x\nSubject: alpha\nDate: Mon, 1 Jan 2024 00:00:00 +0000"),
                msg(3, "From: \"Bob\" <zed@y>\nSubject: beta\nDate: Mon, 1 Jan 2024 01:00:00 +0100\nCc: a@x"));
        assertThat(seqs(Sort.sort(List.of(new SortCriterion(SortCriterion.Key.SUBJECT, false)), box))).containsExactly(2, 1, 3);
        assertThat(seqs(Sort.sort(List.of(new SortCriterion(SortCriterion.Key.FROM, false)), box))).containsExactly(2, 1, 3);
        assertThat(seqs(Sort.sort(List.of(new SortCriterion(SortCriterion.Key.DISPLAYFROM, false)), box))).containsExactly(2, 3, 1);
        // message 3 is at the same instant as message 2: tie by sequence number
        assertThat(seqs(Sort.sort(List.of(new SortCriterion(SortCriterion.Key.DATE, false)), box))).containsExactly(2, 3, 1);
        assertThat(seqs(Sort.sort(List.of(new SortCriterion(SortCriterion.Key.DATE, true)), box))).containsExactly(1, 2, 3);
        // no Cc sorts as "" first
        assertThat(seqs(Sort.sort(List.of(new SortCriterion(SortCriterion.Key.CC, false)), box))).containsExactly(2, 3, 1);
        assertThat(seqs(Sort.sort(List.of(new SortCriterion(SortCriterion.Key.ARRIVAL, true)), box))).containsExactly(3, 2, 1);
        assertThat(seqs(Sort.sort(List.of(), box))).containsExactly(1, 2, 3);
    }

    @Test
    void referencesThreading() throws Exception {
        // RFC 5256 §3 REFERENCES: parents by References/In-Reply-To, a dummy for a missing parent,
        // subject merging of replies whose parent is gone
        List<TestMessage> box = List.of(
                msg(1, "Message-ID: <1@x>\nSubject: topic\nDate: Mon, 1 Jan 2024 00:00:00 +0000"),
                msg(2, "Message-ID: <2@x>\nIn-Reply-To: <1@x>\nSubject: Re: topic\nDate: Mon, 1 Jan 2024 02:00:00 +0000"),
                msg(3, "Message-ID: <3@x>\nReferences: <1@x> <2@x>\nSubject: Re: topic\nDate: Mon, 1 Jan 2024 03:00:00 +0000"),
                msg(4, "Message-ID: <4@x>\nReferences: <1@x>\nSubject: Re: topic\nDate: Mon, 1 Jan 2024 01:00:00 +0000"),
                msg(5, "Message-ID: <5@x>\nReferences: <gone@x>\nSubject: Re: other\nDate: Mon, 1 Jan 2024 05:00:00 +0000"),
                msg(6, "Message-ID: <6@x>\nSubject: other\nDate: Mon, 1 Jan 2024 04:00:00 +0000"),
                msg(7, "Message-ID: <7@x>\nReferences: <gone2@x>\nDate: Mon, 1 Jan 2024 06:00:00 +0000"),
                msg(8, "Message-ID: <8@x>\nReferences: <gone2@x>\nDate: Mon, 1 Jan 2024 07:00:00 +0000"));
        assertThat(Threads.thread(ThreadCommand.Algorithm.REFERENCES, box, false)).isEqualTo("(1 (4)(2 3))(6 5)((7)(8))");
        assertThat(Threads.thread(ThreadCommand.Algorithm.REFERENCES, box, true)).isEqualTo("(10 (40)(20 30))(60 50)((70)(80))");
        assertThat(Threads.thread(ThreadCommand.Algorithm.ORDEREDSUBJECT, box, false)).isEqualTo("(1 (4)(2)(3))(6 5)(7 8)");
        assertThat(Threads.thread(ThreadCommand.Algorithm.REFERENCES, List.of(), false)).isEmpty();
    }

    @Test
    void referenceLoopsAreIgnored() throws Exception {
        List<TestMessage> box = List.of(
                msg(1, "Message-ID: <a@x>\nReferences: <b@x>"),
                msg(2, "Message-ID: <b@x>\nReferences: <a@x>"),
                msg(3, "Message-ID: <c@x>\nReferences: <c@x>"));
        String t = Threads.thread(ThreadCommand.Algorithm.REFERENCES, box, false);
        // <b> (seq 2) arrived second: linking <b> under <a> would close the loop, so <b> stays the root
        assertThat(t).isEqualTo("(2 1)(3)");
    }
}

package dev.sealpost.message;

import dev.sealpost.message.internal.AddressParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.sealpost.message.Structures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeTest {
    private static final Address END = Address.groupEnd();

    private static Address a(String name, String mailbox, String host) {
        return new Address(name, null, mailbox, host);
    }

    private static Address group(String name) {
        return Address.groupStart(name);
    }

    /** The address vectors of imaptest's fetch-envelope (Dovecot's expected ENVELOPE output). */
    @Test
    void imaptestFetchEnvelopeVectors() {
        assertThat(AddressParser.parse("From Real <fromuser@fromdomain.org>")).containsExactly(a("From Real", "fromuser", "fromdomain.org"));
        assertThat(AddressParser.parse("user@domain (Real Name)")).containsExactly(a("Real Name", "user", "domain"));
        assertThat(AddressParser.parse("group: g1@d1.org, g2@d2.org;, group2: g3@d3.org;")).containsExactly(
                group("group"), a(null, "g1", "d1.org"), a(null, "g2", "d2.org"), END,
                group("group2"), a(null, "g3", "d3.org"), END);
        assertThat(AddressParser.parse("group:;, group2: (foo) ;")).containsExactly(group("group"), END, group("group2"), END);
        assertThat(AddressParser.parse("<@route:user@domain>")).containsExactly(new Address(null, "@route", "user", "domain"));
        assertThat(AddressParser.parse(" ")).isEmpty();
    }

    @Test
    void envelopeOfTheImaptestMessage() {
        byte[] msg = bytes("Message-ID: <msg@id>\r\nIn-Reply-To: <reply@to.id>\r\nDate: Thu, 15 Feb 2007 01:02:03 +0200\r\n"
                + "Subject: subject header\r\nFrom: From Real <fromuser@fromdomain.org>\r\nTo: To Real <touser@todomain.org>\r\n"
                + "Cc: Cc Real <ccuser@ccdomain.org>\r\nBcc: Bcc Real <bccuser@bccdomain.org>\r\n"
                + "Sender: Sender Real <senderuser@senderdomain.org>\r\nReply-To: ReplyTo Real <replytouser@replytodomain.org>\r\n"
                + "\r\nbody\r\n");
        Envelope e = MessageStructure.parse(msg).envelope();
        assertThat(e).isEqualTo(new Envelope("Thu, 15 Feb 2007 01:02:03 +0200", "subject header",
                List.of(a("From Real", "fromuser", "fromdomain.org")), List.of(a("Sender Real", "senderuser", "senderdomain.org")),
                List.of(a("ReplyTo Real", "replytouser", "replytodomain.org")), List.of(a("To Real", "touser", "todomain.org")),
                List.of(a("Cc Real", "ccuser", "ccdomain.org")), List.of(a("Bcc Real", "bccuser", "bccdomain.org")),
                "<reply@to.id>", "<msg@id>"));
        // empty Sender and Reply-To fall back to From (RFC 9051 §7.5.2)
        Envelope f = MessageStructure.parse(bytes("From: user@domain (Real Name)\r\nSender: \r\nReply-To: \r\n\r\n")).envelope();
        assertThat(f.sender()).isEmpty();
        assertThat(f.imapSender()).containsExactly(a("Real Name", "user", "domain"));
        assertThat(f.imapReplyTo()).containsExactly(a("Real Name", "user", "domain"));
        // first occurrence wins
        assertThat(MessageStructure.parse(bytes("Subject: one\r\nSubject: two\r\n\r\n")).envelope().subject()).isEqualTo("one");
    }

    @Test
    void quotedNamesCommentsAndEncodedWords() {
        assertThat(AddressParser.parse("\"Doe, John \\\"JD\\\"\" <john.doe@example.com>"))
                .containsExactly(a("Doe, John \"JD\"", "john.doe", "example.com"));
        assertThat(AddressParser.parse("=?utf-8?B?SsO2cmc=?= <j@example.com>, Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>"))
                .containsExactly(a("=?utf-8?B?SsO2cmc=?=", "j", "example.com"), a("Pete", "pete", "silly.test"));
        assertThat(AddressParser.parse("John Q. Public <JQP@example.com>")).containsExactly(a("John Q. Public", "JQP", "example.com"));
        assertThat(AddressParser.parse("\"quoted local\"@example.com")).containsExactly(a(null, "\"quoted local\"", "example.com"));
        assertThat(AddressParser.parse("<user@[192.0.2.1]>")).containsExactly(a(null, "user", "[192.0.2.1]"));
        assertThat(AddressParser.parse("<@a.example,@b.example:user@c.example>"))
                .containsExactly(new Address(null, "@a.example,@b.example", "user", "c.example"));
        // RFC 5322 §A.1.3 group example
        assertThat(AddressParser.parse("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;"))
                .containsExactly(group("A Group"), a("Ed Jones", "c", "a.test"), a(null, "joe", "where.test"), a("John", "jdoe", "one.test"), END);
        assertThat(AddressParser.parse("Undisclosed recipients:;")).containsExactly(group("Undisclosed recipients"), END);
    }

    /** Each malformed value gives exactly one address, pinned here (an empty name is none). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "no-domain                          | ''          | no-domain | ''",
            "Name <no-domain>                   | Name        | no-domain | ''",
            // no closing quote: the quoted string runs to the end and is the local part; no domain
            "\"unterminated <a@b>               | ''          | \"unterminated <a@b>\" | ''",
            "<a@b                               | ''          | a         | b",
            "(comment only) x@y                 | comment only| x         | y",
            "a@b@c                              | ''          | a         | b",
            "<>, real@example.org               | ''          | real      | example.org",
            // nothing usable: one empty address
            ">>> @@ a@b                         | ''          | ''        | ''",
    })
    void malformedAddressesNeverThrow(String value, String name, String mailbox, String host) {
        assertThat(AddressParser.parse(value)).containsExactly(a(name.isEmpty() ? null : name, mailbox, host));
    }

    @Test
    void groupWithoutSemicolonIsClosed() {
        assertThat(AddressParser.parse("team: a@b, c@d")).containsExactly(group("team"), a(null, "a", "b"), a(null, "c", "d"), END);
    }

    @Test
    void displayFromDecodesTheName() {
        Envelope e = MessageStructure.parse(bytes("From: =?iso-8859-1?q?J=F6rg?= <j@example.org>\r\n\r\n")).envelope();
        assertThat(e.displayFrom()).isEqualTo("Jörg <j@example.org>");
        assertThat(MessageStructure.parse(bytes("From: j@example.org\r\n\r\n")).envelope().displayFrom()).isEqualTo("j@example.org");
        assertThat(MessageStructure.parse(bytes("From: g:;\r\n\r\n")).envelope().displayFrom()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "plain text                                          | plain text",
            "=?UTF-8?Q?caf=C3=A9?=                               | café",
            "=?utf-8?b?Y2Fmw6k=?=                                | café",
            "=?utf-8?b?Y2Fmw6k?=                                 | café",               // missing padding: tolerated
            "=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=               | ab",                 // RFC 2047 §6.2 white space between words dropped
            "=?ISO-8859-1?Q?a?=  x =?ISO-8859-1?Q?b?=            | a  x b",
            "=?ISO-8859-1?Q?a_b?=                                | a b",
            "=?UTF-8?B?4oI=?= =?UTF-8?B?rA==?=                   | €",                  // a character split across two words
            "=?x-unknown?Q?abc?= end                             | =?x-unknown?Q?abc?= end",
            "=?utf-8*en?q?hi?=                                   | hi",                 // RFC 2231 §5 language suffix
            "Re: =?utf-8?q?=E2=9C=93?= done                      | Re: ✓ done",
            "=?utf-8?q?broken=ZZ?=                               | broken=ZZ",
    })
    void encodedWords(String in, String out) {
        assertThat(EncodedWords.decode(in)).isEqualTo(out);
    }
}

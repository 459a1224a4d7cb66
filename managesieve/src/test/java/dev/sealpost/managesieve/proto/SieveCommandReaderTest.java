package dev.sealpost.managesieve.proto;

import dev.sealpost.managesieve.proto.SieveCommandReader.Read;
import dev.sealpost.managesieve.proto.SieveCommandReader.Token;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SieveCommandReaderTest {
    static SieveCommandReader reader(String s) {
        return new SieveCommandReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), () -> { },
                new SieveCommandReader.Limits(128, 16, 4));
    }

    @Test
    void tokensOfEveryKind() throws IOException {
        SieveCommandReader r = reader("PUTSCRIPT \"na\\\"me\" {5+}\r\nkeep;\r\nHAVESPACE \"é\" 42\r\nCHECKSCRIPT {2}\r\nx;\r\n");
        assertThat(r.read()).isEqualTo(new Read.Line(List.of(new Token.Atom("PUTSCRIPT"), new Token.Str("na\"me", false),
                new Token.Str("keep;", true))));
        assertThat(r.read()).isEqualTo(new Read.Line(List.of(new Token.Atom("HAVESPACE"), new Token.Str("é", false), new Token.Number(42))));
        // leniency: a synchronizing literal is read without a continuation
        assertThat(r.read()).isEqualTo(new Read.Line(List.of(new Token.Atom("CHECKSCRIPT"), new Token.Str("x;", true))));
        assertThat(r.read()).isInstanceOf(Read.Eof.class);
    }

    @Test
    void boundsAndErrorsKeepTheStreamInStep() throws IOException {
        SieveCommandReader r = reader("PUTSCRIPT \"a\" {17+}\r\n12345678901234567\r\nNOOP\r\n"
                + "A " + "x".repeat(200) + "\r\nNOOP\r\n"
                + "A B C D E F\r\nNOOP\r\n"
                + "A \"\u00ff\"\r\n"
                + "A 99999999999\r\nA {1+}x\r\nA \"\\n\"\r\nA  B\r\n\r\nNOOP\r\n");
        assertThat(r.read()).isEqualTo(new Read.LiteralTooLarge(17));
        assertThat(r.read()).isEqualTo(new Read.Line(List.of(new Token.Atom("NOOP"))));
        assertThat(r.read()).isEqualTo(new Read.Invalid("Line too long"));
        assertThat(r.read()).isEqualTo(new Read.Line(List.of(new Token.Atom("NOOP"))));
        assertThat(r.read()).isEqualTo(new Read.Invalid("Too many arguments"));
        assertThat(r.read()).isEqualTo(new Read.Line(List.of(new Token.Atom("NOOP"))));
        assertThat(r.read()).isEqualTo(new Read.Line(List.of(new Token.Atom("A"), new Token.Str("\u00ff", false))));
        assertThat(r.read()).isEqualTo(new Read.Invalid("Number too large"));
        assertThat(r.read()).isEqualTo(new Read.Invalid("Expected a line end"));
        assertThat(r.read()).isEqualTo(new Read.Invalid("Bad escape in a quoted string"));
        assertThat(r.read()).isEqualTo(new Read.Invalid("Empty argument"));
        assertThat(r.read()).isEqualTo(new Read.Invalid("Empty line"));
        assertThat(r.read()).isEqualTo(new Read.Line(List.of(new Token.Atom("NOOP"))));
        assertThat(r.read()).isInstanceOf(Read.Eof.class);
    }

    @Test
    void invalidUtf8IsRefused() throws IOException {
        SieveCommandReader r = new SieveCommandReader(new ByteArrayInputStream(new byte[] {'A', ' ', '"', (byte) 0xC3, '"', '\r', '\n'}),
                () -> { }, SieveCommandReader.Limits.defaults());
        assertThat(r.read()).isEqualTo(new Read.Invalid("String is not UTF-8"));
        assertThat(r.read()).isInstanceOf(Read.Eof.class);
    }
}

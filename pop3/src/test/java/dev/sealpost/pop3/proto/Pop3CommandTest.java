package dev.sealpost.pop3.proto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Pop3CommandTest {

    static Pop3Command parsed(String line) {
        Pop3Command.Result r = Pop3Command.parse(line);
        assertThat(r).as(line).isInstanceOf(Pop3Command.Parsed.class);
        return ((Pop3Command.Parsed) r).command();
    }

    static String invalid(String line) {
        Pop3Command.Result r = Pop3Command.parse(line);
        assertThat(r).as(line).isInstanceOf(Pop3Command.Invalid.class);
        return ((Pop3Command.Invalid) r).text();
    }

    @Test
    void commandsAndArguments() {
        assertThat(parsed("CAPA")).isEqualTo(new Pop3Command.Capa());
        assertThat(parsed("capa")).isEqualTo(new Pop3Command.Capa());
        assertThat(parsed("StLs")).isEqualTo(new Pop3Command.Stls());
        assertThat(parsed("STAT")).isEqualTo(new Pop3Command.Stat());
        assertThat(parsed("RSET")).isEqualTo(new Pop3Command.Rset());
        assertThat(parsed("NOOP")).isEqualTo(new Pop3Command.Noop());
        assertThat(parsed("QUIT")).isEqualTo(new Pop3Command.Quit());
        assertThat(parsed("LIST")).isEqualTo(new Pop3Command.ListMessages(null));
        assertThat(parsed("LIST 7")).isEqualTo(new Pop3Command.ListMessages(7));
        assertThat(parsed("LIST ")).isEqualTo(new Pop3Command.ListMessages(null)); // leniency: trailing space
        assertThat(parsed("UIDL")).isEqualTo(new Pop3Command.Uidl(null));
        assertThat(parsed("uidl 2147483647")).isEqualTo(new Pop3Command.Uidl(Integer.MAX_VALUE));
        assertThat(parsed("RETR 1")).isEqualTo(new Pop3Command.Retr(1));
        assertThat(parsed("DELE  3")).isEqualTo(new Pop3Command.Dele(3));
        assertThat(parsed("TOP 1 0")).isEqualTo(new Pop3Command.Top(1, 0));
        assertThat(parsed("TOP 1 99999999999")).isEqualTo(new Pop3Command.Top(1, Integer.MAX_VALUE));
        assertThat(parsed("USER alice@example.test")).isEqualTo(new Pop3Command.User("alice@example.test"));
        assertThat(parsed("USER jörg@exämple.test")).isEqualTo(new Pop3Command.User("jörg@exämple.test"));
        assertThat(parsed("AUTH")).isEqualTo(new Pop3Command.Auth(null, null));
        assertThat(parsed("AUTH plain")).isEqualTo(new Pop3Command.Auth("PLAIN", null));
        assertThat(parsed("AUTH PLAIN =")).isEqualTo(new Pop3Command.Auth("PLAIN", "="));
        assertThat(parsed("AUTH SCRAM-SHA-256 biwsbj1h")).isEqualTo(new Pop3Command.Auth("SCRAM-SHA-256", "biwsbj1h"));
    }

    @Test
    void passKeepsTheWholeRemainderAsBytesAndHidesIt() {
        Pop3Command c = parsed("PASS  two  spaces ");
        assertThat(c).isInstanceOf(Pop3Command.Pass.class);
        assertThat(new String(((Pop3Command.Pass) c).password(), StandardCharsets.UTF_8)).isEqualTo(" two  spaces ");
        assertThat(c.toString()).doesNotContain("two");
        assertThat(invalid("PASS")).contains("PASS needs a password");
        assertThat(invalid("PASS ")).contains("PASS needs a password");
        assertThat(Pop3Command.parse(new byte[]{'P', 'A', 'S', 'S', ' ', 'a', 0, 'b'})).isInstanceOf(Pop3Command.Invalid.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|Unknown command",
            "XY|Unknown command",
            "HELLO|Unknown command",
            "APOP a b|Unknown command",
            "LI5T|Unknown command",
            "LIST 0|Invalid message number",
            "LIST -1|Invalid message number",
            "LIST +1|Invalid message number",
            "LIST 2147483648|Invalid message number",
            "LIST 1 2|Syntax error: LIST [msg]",
            "RETR|Syntax error: RETR msg",
            "DELE a|Invalid message number",
            "TOP 1|Syntax error: TOP msg n",
            "TOP 1 -1|Invalid number of lines",
            "STAT 1|Syntax error: no arguments expected",
            "USER|Syntax error: USER needs one name",
            "USER a b|Syntax error: USER needs one name",
            "AUTH PLAIN a b|Syntax error: AUTH mechanism [initial-response]",
            "AUTH PL@IN|Syntax error: invalid mechanism name",
            "AUTH ABCDEFGHIJKLMNOPQRSTU|Syntax error: invalid mechanism name",
            "AUTH PLAIN abc|Syntax error: initial response is not base64",
            "AUTH PLAIN a=bc|Syntax error: initial response is not base64",
            "LIST ١|Syntax error: invalid characters",
    })
    void invalidLines(String line, String text) {
        assertThat(invalid(line)).isEqualTo(text);
    }

    @Test
    void keywordsFoldInAsciiOnly() {
        // "QUıT" (dotless i) and "ſTLS" (long s) must not become QUIT or STLS via Unicode case mapping
        assertThat(invalid("QU\u0131T")).isEqualTo("Unknown command");
        assertThat(invalid("\u017fTLS")).isEqualTo("Unknown command");
        assertThat(Pop3Command.parse(new byte[]{'Q', 'U', 'I', 'T', ' ', 1})).isInstanceOf(Pop3Command.Invalid.class);
        assertThat(Pop3Command.parse(new byte[]{'U', 'S', 'E', 'R', ' ', (byte) 0xc3, (byte) 0x28})).isInstanceOf(Pop3Command.Invalid.class);
        assertThat(Pop3Command.parse((byte[]) null)).isInstanceOf(Pop3Command.Invalid.class);
    }
}

package dev.sealpost.managesieve;

import dev.sealpost.testkit.ScramClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 5804 dialogues over a real socket: C: what the client sends, S: what the server must answer. */
class ManageSieveDialogueTest extends ManageSieveTestBase {
    static final String SCRIPT = "require \"fileinto\";\r\nif header :contains \"subject\" \"[list]\" { fileinto \"Lists\"; }\r\n";

    static String literal(String s) {
        return "{" + s.getBytes(StandardCharsets.UTF_8).length + "+}\r\n" + s;
    }

    @Test
    void greetingBeforeTlsOffersStartTlsAndNoSasl() throws Exception {
        try (SieveClient c = new SieveClient(server.port())) {
            List<String> g = c.response();
            // RFC 5804 §1.7: capabilities then OK; no mechanism before TLS (login needs TLS)
            assertThat(g).contains("\"IMPLEMENTATION\" \"Sealpost\"", "\"SASL\" \"\"", "\"STARTTLS\"", "\"VERSION\" \"1.0\"",
                    "\"MAXREDIRECTS\" \"4\"");
            assertThat(g).anySatisfy(l -> assertThat(l).startsWith("\"SIEVE\" \"").contains("fileinto").contains("imap4flags"));
            assertThat(g).last().asString().startsWith("OK");
            assertThat(c.cmd("AUTHENTICATE \"PLAIN\" \"" + plain(ALICE, PW) + "\""))
                    .containsExactly("NO (ENCRYPT-NEEDED) \"Use STARTTLS first: login is only possible over TLS\"");
            assertThat(c.cmd("LISTSCRIPTS")).containsExactly("NO \"Authenticate first\"");
            assertThat(c.cmd("STARTTLS")).containsExactly("OK \"Begin TLS negotiation now\"");
            c.handshake();
            List<String> again = c.response(); // RFC 5804 §2.2: capabilities again after TLS
            assertThat(again).anySatisfy(l -> assertThat(l).startsWith("\"SASL\" \"").contains("PLAIN").contains("SCRAM-SHA-256"));
            assertThat(again).doesNotContain("\"STARTTLS\"");
            assertThat(again).last().asString().isEqualTo("OK \"TLS negotiation successful\"");
            assertThat(c.cmd("AUTHENTICATE \"PLAIN\" \"" + plain(ALICE, "wrong") + "\"")).containsExactly("NO \"Authentication failed\"");
            assertThat(c.cmd("LOGOUT")).containsExactly("OK \"Logout completed\"");
        }
    }

    @Test
    void uploadListActivateDownloadRenameDelete() throws Exception {
        try (SieveClient c = login()) {
            // C: PUTSCRIPT "filter" {n+} ... ; S: OK
            assertThat(c.cmd("PUTSCRIPT \"filter\" " + literal(SCRIPT))).containsExactly("OK \"Script stored\"");
            assertThat(c.cmd("PUTSCRIPT \"other\" \"keep;\"")).containsExactly("OK \"Script stored\"");
            assertThat(c.cmd("LISTSCRIPTS")).containsExactly("\"filter\"", "\"other\"", "OK \"Listscripts completed\"");
            assertThat(c.cmd("SETACTIVE \"filter\"")).containsExactly("OK \"Script activated\"");
            assertThat(c.cmd("LISTSCRIPTS")).containsExactly("\"filter\" ACTIVE", "\"other\"", "OK \"Listscripts completed\"");
            int n = SCRIPT.getBytes(StandardCharsets.UTF_8).length;
            assertThat(c.cmd("GETSCRIPT \"filter\"")).containsExactly("{" + n + "}\n" + SCRIPT, "OK \"Getscript completed\"");
            assertThat(c.cmd("GETSCRIPT \"nope\"")).containsExactly("NO (NONEXISTENT) \"There is no script of that name\"");
            assertThat(c.cmd("DELETESCRIPT \"filter\""))
                    .containsExactly("NO (ACTIVE) \"The active script cannot be deleted; deactivate it first\"");
            assertThat(c.cmd("RENAMESCRIPT \"other\" \"filter\"")).containsExactly("NO (ALREADYEXISTS) \"A script of that name exists already\"");
            assertThat(c.cmd("RENAMESCRIPT \"filter\" \"main\"")).containsExactly("OK \"Script renamed\"");
            assertThat(store.sieveScripts().active(alice()).orElseThrow().name()).isEqualTo("main");
            assertThat(c.cmd("SETACTIVE \"\"")).containsExactly("OK \"No script is active now\"");
            assertThat(c.cmd("DELETESCRIPT \"main\"")).containsExactly("OK \"Script deleted\"");
            assertThat(c.cmd("DELETESCRIPT \"main\"")).containsExactly("NO (NONEXISTENT) \"There is no script of that name\"");
            assertThat(c.cmd("SETACTIVE \"main\"")).containsExactly("NO (NONEXISTENT) \"There is no script of that name\"");
            assertThat(store.sieveScripts().list(alice())).extracting(s -> s.name()).containsExactly("other");
        }
    }

    @Test
    void syntaxErrorsCarryTheirLineAndNothingIsStored() throws Exception {
        try (SieveClient c = login()) {
            String bad = "require \"fileinto\";\r\nkeep;\r\nfileinto \"x\"\r\n";
            List<String> r = c.cmd("PUTSCRIPT \"bad\" " + literal(bad));
            assertThat(r).hasSize(1);
            assertThat(r.getFirst()).startsWith("NO \"line ");
            assertThat(store.sieveScripts().list(alice())).isEmpty();
            List<String> unknown = c.cmd("CHECKSCRIPT \"frobnicate;\"");
            assertThat(unknown.getFirst()).startsWith("NO \"line 1: ");
            assertThat(c.cmd("CHECKSCRIPT " + literal(SCRIPT))).containsExactly("OK \"Script is valid\"");
            assertThat(store.sieveScripts().list(alice())).isEmpty(); // CHECKSCRIPT stores nothing
        }
    }

    @Test
    void quotasAnswerWithTheirCodes() throws Exception {
        try (SieveClient c = login()) {
            assertThat(c.cmd("HAVESPACE \"a\" 200")).containsExactly("OK \"Putscript would succeed\"");
            assertThat(c.cmd("HAVESPACE \"a\" 201")).containsExactly("NO (QUOTA/MAXSIZE) \"Scripts are at most 200 octets\"");
            // a literal over the size quota is skipped unread, and the session stays in step
            assertThat(c.cmd("PUTSCRIPT \"big\" " + literal("#" + "x".repeat(300) + "\r\nkeep;\r\n")))
                    .containsExactly("NO (QUOTA/MAXSIZE) \"String of 310 octets is too large\"");
            for (String s : List.of("a", "b", "c")) assertThat(c.cmd("PUTSCRIPT \"" + s + "\" \"keep;\"")).containsExactly("OK \"Script stored\"");
            assertThat(c.cmd("PUTSCRIPT \"d\" \"keep;\"")).containsExactly("NO (QUOTA/MAXSCRIPTS) \"At most 3 scripts\"");
            assertThat(c.cmd("HAVESPACE \"d\" 5")).containsExactly("NO (QUOTA/MAXSCRIPTS) \"At most 3 scripts\"");
            assertThat(c.cmd("PUTSCRIPT \"a\" \"discard;\"")).containsExactly("OK \"Script stored\""); // a replacement fits
        }
    }

    @Test
    void noopTagUnauthenticateAndSyntax() throws Exception {
        try (SieveClient c = login()) {
            assertThat(c.cmd("NOOP \"STARTTLS-SYNC-42\"")).containsExactly("OK (TAG \"STARTTLS-SYNC-42\") \"Done\"");
            assertThat(c.cmd("noop")).containsExactly("OK \"Done\"");
            assertThat(c.cmd("PUTSCRIPT \"unterminated")).containsExactly("NO \"Quoted string without its closing quote\"");
            assertThat(c.cmd("PUTSCRIPT \"a\\nb\" \"keep;\"")).containsExactly("NO \"Bad escape in a quoted string\"");
            assertThat(c.cmd("PUTSCRIPT \"bad\u0001name\" \"keep;\"")).containsExactly("NO \"Invalid script name\"");
            assertThat(c.cmd("FROB")).containsExactly("NO \"Unknown command\"");
            List<String> caps = c.cmd("CAPABILITY");
            assertThat(caps).contains("\"OWNER\" \"alice@example.test\"", "\"SASL\" \"\"");
            assertThat(c.cmd("UNAUTHENTICATE")).containsExactly("OK \"Unauthenticate completed\"");
            assertThat(c.cmd("LISTSCRIPTS")).containsExactly("NO \"Authenticate first\"");
            assertThat(c.cmd("AUTHENTICATE \"PLAIN\" \"" + plain(ALICE, PW) + "\"")).containsExactly("OK \"Authenticated\"");
            assertThat(c.cmd("LISTSCRIPTS")).containsExactly("OK \"Listscripts completed\"");
        }
    }

    @Test
    void scramSendsItsServerFinalInTheSaslCode() throws Exception {
        try (SieveClient c = new SieveClient(server.port())) {
            c.response();
            c.cmd("STARTTLS");
            c.handshake();
            c.response();
            ScramClient scram = new ScramClient("n,,", ALICE, "clientnonce123456");
            c.send("AUTHENTICATE \"SCRAM-SHA-256\" \"" + Base64.getEncoder().encodeToString(scram.clientFirst()) + "\"\r\n");
            String challenge = c.line(); // a challenge is a string on its own line (RFC 5804 §2.1)
            assertThat(challenge).startsWith("\"");
            byte[] serverFirst = Base64.getDecoder().decode(challenge.substring(1, challenge.length() - 1));
            byte[] fin = scram.clientFinal(serverFirst, PW, new byte[0]);
            List<String> r = c.cmd("\"" + Base64.getEncoder().encodeToString(fin) + "\"");
            String v = Base64.getEncoder().encodeToString(scram.expectedServerFinal().getBytes(StandardCharsets.UTF_8));
            assertThat(r).containsExactly("OK (SASL \"" + v + "\") \"Authenticated\"");
        }
    }

    @Test
    void tooManyBadCommandsEndWithBye() throws Exception {
        try (SieveClient c = new SieveClient(server.port())) {
            c.response();
            for (int i = 0; i < 10; i++) assertThat(c.cmd("FROB")).containsExactly("NO \"Unknown command\"");
            assertThat(c.cmd("FROB")).containsExactly("BYE \"Too many bad commands\"");
            assertThat(c.line()).isNull();
        }
    }
}

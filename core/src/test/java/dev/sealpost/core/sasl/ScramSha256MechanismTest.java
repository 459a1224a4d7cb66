package dev.sealpost.core.sasl;

import dev.sealpost.testkit.ScramClient;
import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.sasl.SaslExchange.SaslStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class ScramSha256MechanismTest {
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final byte[] CB_DATA = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final ChannelBinding BINDING = new ChannelBinding("tls-exporter", CB_DATA);

    private final TestAccounts accounts = new TestAccounts().add("alice@example.com", "correct horse");

    /** The credentials of RFC 7677 §3, derived from the password as a directory would store them. */
    private static StoredCredentials rfc7677Credentials() {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        byte[] salted = PasswordHasher.pbkdf2("pencil".toCharArray(), salt, 4096);
        byte[] storedKey = PasswordHasher.sha256(PasswordHasher.hmac(salted, "Client Key"));
        byte[] serverKey = PasswordHasher.hmac(salted, "Server Key");
        return new StoredCredentials("unused", salt, 4096, storedKey, serverKey);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(SaslStep step) {
        return switch (step) {
            case SaslStep.Challenge c -> new String(c.data(), StandardCharsets.UTF_8);
            case SaslStep.Success s -> new String(s.finalData(), StandardCharsets.UTF_8);
            case SaslStep.Failure f -> throw new AssertionError("unexpected failure: " + f);
        };
    }

    @Test
    void rfc7677ExampleExchange() {
        var mech = new ScramSha256Mechanism(new TestAccounts().add("user", rfc7677Credentials()), false, () -> SERVER_NONCE);
        SaslExchange ex = mech.start(null);

        // C: n,,n=user,r=rOprNGfwEbeRWgbNEkqO
        SaslStep first = ex.evaluate(utf8("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertThat(first).isInstanceOf(SaslStep.Challenge.class);
        assertThat(text(first)).isEqualTo(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");

        SaslStep fin = ex.evaluate(utf8("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        assertThat(fin).isInstanceOf(SaslStep.Success.class);
        assertThat(((SaslStep.Success) fin).user()).isEqualTo("user");
        assertThat(text(fin)).isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");

        // nothing more after the end
        assertThat(ex.evaluate(new byte[0])).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());
    }

    @Test
    void emptyInitialResponseGetsEmptyChallenge() {
        var mech = new ScramSha256Mechanism(accounts, false);
        SaslExchange ex = mech.start(null);
        assertThat(ex.evaluate(new byte[0])).isInstanceOfSatisfying(SaslStep.Challenge.class, c -> assertThat(c.data()).isEmpty());
        var client = new ScramClient("n,,", "alice@example.com", "abc");
        SaslStep sf = ex.evaluate(client.clientFirst());
        SaslStep result = ex.evaluate(client.clientFinal(((SaslStep.Challenge) sf).data(), "correct horse", new byte[0]));
        assertThat(result).isInstanceOfSatisfying(SaslStep.Success.class, s -> {
            assertThat(s.user()).isEqualTo("alice@example.com");
            assertThat(new String(s.finalData(), StandardCharsets.US_ASCII)).isEqualTo(client.expectedServerFinal());
        });
    }

    @Test
    void serverNonceIsFreshAndExtendsClientNonce() {
        var mech = new ScramSha256Mechanism(accounts, false);
        String a = text(mech.start(null).evaluate(utf8("n,,n=alice@example.com,r=cnonce")));
        String b = text(mech.start(null).evaluate(utf8("n,,n=alice@example.com,r=cnonce")));
        assertThat(a).startsWith("r=cnonce").contains(",s=").endsWith(",i=4096");
        assertThat(a.split(",")[0]).isNotEqualTo(b.split(",")[0]);
        assertThat(a.split(",")[0].length()).isGreaterThanOrEqualTo("r=cnonce".length() + 24);
    }

    @Test
    void plusWithMatchingChannelBindingSucceeds() {
        var mech = new ScramSha256Mechanism(accounts, true);
        assertThat(mech.name()).isEqualTo("SCRAM-SHA-256-PLUS");
        assertThat(mech.needsChannelBinding()).isTrue();
        var client = new ScramClient("p=tls-exporter,,", "alice@example.com", "nonce1");
        SaslExchange ex = mech.start(BINDING);
        SaslStep sf = ex.evaluate(client.clientFirst());
        SaslStep result = ex.evaluate(client.clientFinal(((SaslStep.Challenge) sf).data(), "correct horse", CB_DATA));
        assertThat(result).isInstanceOfSatisfying(SaslStep.Success.class,
                s -> assertThat(new String(s.finalData(), StandardCharsets.US_ASCII)).isEqualTo(client.expectedServerFinal()));
    }

    @Test
    void plusWithWrongChannelBindingFails() {
        var mech = new ScramSha256Mechanism(accounts, true);
        var client = new ScramClient("p=tls-exporter,,", "alice@example.com", "nonce1");
        SaslExchange ex = mech.start(BINDING);
        SaslStep sf = ex.evaluate(client.clientFirst());
        byte[] otherConnection = "ffffffffffffffffffffffffffffffff".getBytes(StandardCharsets.US_ASCII);
        SaslStep result = ex.evaluate(client.clientFinal(((SaslStep.Challenge) sf).data(), "correct horse", otherConnection));
        assertThat(result).isInstanceOfSatisfying(SaslStep.Failure.class, f -> {
            assertThat(f.malformed()).isFalse();
            assertThat(f.reason()).contains("channel binding");
        });
    }

    @Test
    void plusWithoutBindingOnConnectionFails() {
        var mech = new ScramSha256Mechanism(accounts, true);
        SaslStep r = mech.start(null).evaluate(new ScramClient("p=tls-exporter,,", "alice@example.com", "x").clientFirst());
        assertThat(r).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"p=tls-unique,,", "p=tls-server-end-point,,", "n,,", "y,,"})
    void plusRejectsOtherBindingChoices(String gs2) {
        var mech = new ScramSha256Mechanism(accounts, true);
        SaslStep r = mech.start(BINDING).evaluate(new ScramClient(gs2, "alice@example.com", "x").clientFirst());
        assertThat(r).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isFalse());
    }

    @Test
    void plusRejectsServerBindingOfAnotherType() {
        var mech = new ScramSha256Mechanism(accounts, true);
        var unique = new ChannelBinding("tls-unique", CB_DATA);
        SaslStep r = mech.start(unique).evaluate(new ScramClient("p=tls-exporter,,", "alice@example.com", "x").clientFirst());
        assertThat(r).isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void downgradeDetectedWhenClientSaysYButServerOffersPlus() {
        var mech = new ScramSha256Mechanism(accounts, false);
        SaslStep r = mech.start(BINDING).evaluate(new ScramClient("y,,", "alice@example.com", "x").clientFirst());
        assertThat(r).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.reason()).contains("downgrade"));
    }

    @Test
    void flagYIsFineWithoutBindingOrWhenPlusIsNotOffered() {
        var client = new ScramClient("y,,", "alice@example.com", "x");
        SaslExchange ex = new ScramSha256Mechanism(accounts, false).start(null);
        SaslStep sf = ex.evaluate(client.clientFirst());
        // c= carries "y,," (base64 "eSws")
        byte[] cf = client.clientFinal(((SaslStep.Challenge) sf).data(), "correct horse", new byte[0]);
        assertThat(new String(cf, StandardCharsets.UTF_8)).startsWith("c=eSws,");
        assertThat(ex.evaluate(cf)).isInstanceOf(SaslStep.Success.class);

        SaslExchange ex2 = new ScramSha256Mechanism(accounts, false, false).start(BINDING);
        assertThat(ex2.evaluate(client.clientFirst())).isInstanceOf(SaslStep.Challenge.class);
    }

    @Test
    void nonPlusRejectsFlagP() {
        SaslStep r = new ScramSha256Mechanism(accounts, false).start(BINDING)
                .evaluate(new ScramClient("p=tls-exporter,,", "alice@example.com", "x").clientFirst());
        assertThat(r).isInstanceOf(SaslStep.Failure.class);
    }

    @Test
    void gs2HeaderTamperedInClientFinalFails() {
        // client-first says "n,," but the client-final's c= claims "y,,": the binding check catches it
        var mech = new ScramSha256Mechanism(accounts, false);
        SaslExchange ex = mech.start(null);
        var honest = new ScramClient("n,,", "alice@example.com", "x");
        SaslStep sf = ex.evaluate(honest.clientFirst());
        var liar = new ScramClient("y,,", "alice@example.com", "x");
        SaslStep r = ex.evaluate(liar.clientFinal(((SaslStep.Challenge) sf).data(), "correct horse", new byte[0]));
        assertThat(r).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.reason()).contains("channel binding"));
    }

    @Test
    void wrongPasswordAndUnknownUserFailAlikeAtTheProofStep() {
        var mech = new ScramSha256Mechanism(accounts, false);

        var known = new ScramClient("n,,", "alice@example.com", "n1");
        SaslExchange ex1 = mech.start(null);
        SaslStep sf1 = ex1.evaluate(known.clientFirst());
        assertThat(sf1).isInstanceOf(SaslStep.Challenge.class);
        SaslStep r1 = ex1.evaluate(known.clientFinal(((SaslStep.Challenge) sf1).data(), "wrong", new byte[0]));

        var unknown = new ScramClient("n,,", "nobody@example.com", "n1");
        SaslExchange ex2 = mech.start(null);
        SaslStep sf2 = ex2.evaluate(unknown.clientFirst());
        assertThat(sf2).isInstanceOf(SaslStep.Challenge.class);
        assertThat(text(sf2)).matches("r=n1[^,]+,s=[A-Za-z0-9+/=]{24},i=" + PasswordHasher.SCRAM_ITERATIONS);
        SaslStep r2 = ex2.evaluate(unknown.clientFinal(((SaslStep.Challenge) sf2).data(), "anything", new byte[0]));

        assertThat(r1).isInstanceOf(SaslStep.Failure.class);
        // same outcome and reason; only the claimed user (for throttling, never shown) differs
        assertThat(r2).usingRecursiveComparison().ignoringFields("user").isEqualTo(r1);
    }

    @Test
    void unknownUserGetsStableFakeSalt() {
        var mech = new ScramSha256Mechanism(accounts, false);
        String s1 = text(mech.start(null).evaluate(utf8("n,,n=ghost@example.com,r=a"))).split(",")[1];
        String s2 = text(mech.start(null).evaluate(utf8("n,,n=ghost@example.com,r=b"))).split(",")[1];
        String s3 = text(mech.start(null).evaluate(utf8("n,,n=other@example.com,r=b"))).split(",")[1];
        assertThat(s1).isEqualTo(s2).isNotEqualTo(s3);
    }

    @Test
    void saslnameEscapesAreDecoded() {
        var acc = new TestAccounts().add("a,b=c", "pw");
        var client = new ScramClient("n,,", "a,b=c", "n");
        assertThat(new String(client.clientFirst(), StandardCharsets.UTF_8)).isEqualTo("n,,n=a=2Cb=3Dc,r=n");
        SaslExchange ex = new ScramSha256Mechanism(acc, false).start(null);
        SaslStep sf = ex.evaluate(client.clientFirst());
        assertThat(ex.evaluate(client.clientFinal(((SaslStep.Challenge) sf).data(), "pw", new byte[0])))
                .isInstanceOfSatisfying(SaslStep.Success.class, s -> assertThat(s.user()).isEqualTo("a,b=c"));
    }

    @Test
    void authzidMustNameTheUser() {
        var same = new ScramClient("n,a=alice@example.com,", "alice@example.com", "n");
        SaslExchange ex = new ScramSha256Mechanism(accounts, false).start(null);
        SaslStep sf = ex.evaluate(same.clientFirst());
        assertThat(ex.evaluate(same.clientFinal(((SaslStep.Challenge) sf).data(), "correct horse", new byte[0])))
                .isInstanceOf(SaslStep.Success.class);

        var other = new ScramClient("n,a=root@example.com,", "alice@example.com", "n");
        SaslExchange ex2 = new ScramSha256Mechanism(accounts, false).start(null);
        SaslStep sf2 = ex2.evaluate(other.clientFirst());
        assertThat(ex2.evaluate(other.clientFinal(((SaslStep.Challenge) sf2).data(), "correct horse", new byte[0])))
                .isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.reason()).contains("authorization"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "x,,n=alice@example.com,r=a",          // bad gs2 flag
            "n,n=alice@example.com,r=a",           // gs2 header without authzid slot
            "n,b=x,n=alice@example.com,r=a",       // authzid not a=
            "n,a=,n=alice@example.com,r=a",        // empty authzid
            "n,,m=ext,n=alice@example.com,r=a",    // mandatory extension
            "n,,r=a,n=alice@example.com",          // wrong order
            "n,,n=alice@example.com",              // no nonce
            "n,,n=,r=a",                           // empty user
            "n,,n=al=2Xice,r=a",                   // bad saslname escape
            "n,,n=alice=,r=a",                     // dangling '='
            "n,,n=alice@example.com,r=",           // empty nonce
            "n,,n=alice@example.com,r=a b",        // nonce not printable
            "n,,n=alice@example.com,r=a,1=x",      // extension with bad name
            "p=tls exporter,,n=a,r=a",             // bad cb-name
            "p=tls-exporter",                      // unterminated
            "",
    })
    void malformedClientFirst(String m) {
        var mech = new ScramSha256Mechanism(accounts, false);
        SaslExchange ex = mech.start(null);
        SaslStep r = m.isEmpty() ? ex.evaluate(new byte[0]) : ex.evaluate(utf8(m));
        if (m.isEmpty()) r = ex.evaluate(new byte[0]); // empty answer to the empty challenge
        assertThat(r).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());
    }

    @Test
    void invalidUtf8AndOversizedInputAreMalformed() {
        var mech = new ScramSha256Mechanism(accounts, false);
        byte[] bad = {'n', ',', ',', 'n', '=', (byte) 0xC0, (byte) 0x80, ',', 'r', '=', 'a'};
        assertThat(mech.start(null).evaluate(bad)).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());
        byte[] big = utf8("n,,n=alice@example.com,r=" + "a".repeat(5000));
        assertThat(mech.start(null).evaluate(big)).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "c=biws,r=%NONCE%",                                   // no proof
            "r=%NONCE%,c=biws,p=AAAA",                            // wrong order
            "c=biws,r=%NONCE%,p=AAAA",                            // proof too short
            "c=b!ws,r=%NONCE%,p=%PROOF%",                         // bad base64
            "c=biws,r=%NONCE%,p=%PROOF%!",                        // bad base64 in proof
            "c=biws,r=other,p=%PROOF%",                           // nonce mismatch
            "c=biws,r=%NONCE%,-=x,p=%PROOF%",                     // bad extension
    })
    void malformedClientFinal(String template) {
        var mech = new ScramSha256Mechanism(accounts, false, () -> "SRV");
        SaslExchange ex = mech.start(null);
        assertThat(ex.evaluate(utf8("n,,n=alice@example.com,r=cli"))).isInstanceOf(SaslStep.Challenge.class);
        String proof = Base64.getEncoder().encodeToString(new byte[32]);
        String m = template.replace("%NONCE%", "cliSRV").replace("%PROOF%", proof);
        assertThat(ex.evaluate(utf8(m))).isInstanceOfSatisfying(SaslStep.Failure.class, f -> assertThat(f.malformed()).isTrue());
    }

    @Test
    void decodeSaslname() {
        assertThat(ScramSha256Mechanism.decodeSaslname("a=2Cb=3D")).isEqualTo("a,b=");
        assertThat(ScramSha256Mechanism.decodeSaslname("=2")).isNull();
        assertThat(ScramSha256Mechanism.decodeSaslname("a=3d")).isNull();
        assertThat(ScramSha256Mechanism.decodeSaslname("")).isNull();
    }
}

package dev.sealpost.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SealpostConfigTest {
    private static final Path BASE = Path.of("/srv/sealpost");

    private static final String MINIMAL = """
            [server]
            data_dir = "data"
            [listeners]
            submission = ""
            submissions = ""
            imap = ""
            imaps = ""
            pop3 = ""
            pop3s = ""
            [managesieve]
            enabled = false
            """;

    @Test
    void shippedExampleConfigIsValid() throws Exception {
        SealpostConfig c = SealpostConfig.load(SAMPLE);
        assertThat(c.server().hostname()).isEqualTo("mail.example.com");
        assertThat(c.listeners().smtp()).get().extracting(a -> a.getPort()).isEqualTo(25);
        assertThat(c.smtp().maxRecipients()).isEqualTo(100);
        assertThat(c.store().jdbcUrl()).isNull();
        assertThat(c.tls().enabled()).isTrue();
        assertThat(c.queue().relayHost()).isNull();
        assertThat(c.queue().maxAgeHours()).isEqualTo(120);
    }

    static final Path SAMPLE = Path.of("../conf/sealpost.toml");
    static final Path LOADER = Path.of("src/main/java/dev/sealpost/app/config/SealpostConfig.java");
    /** A key the loader reads: {@code t.string("server.hostname", "localhost")}, {@code address(t, "listeners.smtp", "0.0.0.0:25")}. */
    static final Pattern READ = Pattern.compile(
            "(?:\\bt\\.(?:string|integer|bool|stringList)\\(|\\baddress\\(t, )\"([a-z0-9_]+\\.[a-z0-9_.]+)\",\\s*([^,()]*(?:\\([^)]*\\))?)");
    /** Keys whose sample value is an example to edit, not the default. */
    static final Set<String> EXAMPLE_VALUES = Set.of("server.hostname");

    /**
     * The sample says "every key is shown with its default": each key the loader reads (found in
     * its source, read-only here) is in the sample, set or commented out ({@code # user = ...}),
     * and a set key whose default is a plain literal has that value. With {@link
     * #shippedExampleConfigIsValid} (the loader refuses keys it does not read), the sample and the
     * loader have the same keys.
     */
    @Test
    void shippedExampleConfigDocumentsEveryKeyWithItsDefault() throws Exception {
        Map<String, String> defaults = new TreeMap<>();
        Matcher m = READ.matcher(Files.readString(LOADER));
        while (m.find()) defaults.put(m.group(1), m.group(2).strip());
        assertThat(defaults).as("keys read in %s", LOADER).hasSizeGreaterThan(60);

        String text = Files.readString(SAMPLE);
        JsonNode sample = new TomlMapper().readTree(text);
        Set<String> commented = new TreeSet<>();
        String section = "";
        for (String line : text.split("\n")) {
            Matcher h = Pattern.compile("^\\[([a-z0-9_.]+)]").matcher(line);
            if (h.find()) section = h.group(1);
            Matcher k = Pattern.compile("^#\\s*([a-z0-9_]+)\\s*=").matcher(line);
            if (k.find()) commented.add(section + "." + k.group(1));
        }

        List<String> problems = new ArrayList<>();
        for (var e : defaults.entrySet()) {
            String key = e.getKey();
            String[] parts = key.split("\\.");
            JsonNode n = sample;
            for (String part : parts) n = n == null ? null : n.get(part);
            if (n == null) {
                if (!commented.contains(key)) problems.add(key + ": not in " + SAMPLE);
                continue;
            }
            if (EXAMPLE_VALUES.contains(key)) continue;
            String def = e.getValue();
            String mismatch = null;
            if (def.equals("true") || def.equals("false")) {
                if (!n.isBoolean() || n.asBoolean() != Boolean.parseBoolean(def)) mismatch = def;
            } else if (def.matches("[0-9_]+L?(\\s*\\*\\s*[0-9_]+L?)*")) {
                long v = 1;
                for (String f : def.split("\\*")) v *= Long.parseLong(f.strip().replace("_", "").replace("L", ""));
                if (!n.isIntegralNumber() || n.asLong() != v) mismatch = Long.toString(v);
            } else if (def.startsWith("\"") && def.endsWith("\"")) {
                if (!n.isTextual() || !n.asText().equals(def.substring(1, def.length() - 1))) mismatch = def;
            } else if (def.equals("List.of()")) {
                if (!n.isArray() || !n.isEmpty()) mismatch = "[]";
            } // else computed (null, List.of(hostname)): any value documents it
            if (mismatch != null) problems.add(key + ": the sample says " + n + ", the default is " + mismatch);
        }
        assertThat(problems).as("conf/sealpost.toml against the keys and defaults of SealpostConfig").isEmpty();
    }

    @Test
    void tomlSyntaxErrorsNameTheLineAndColumn() {
        assertThatThrownBy(() -> SealpostConfig.parse("[server]\ndata_dir = \"data\"\nhostname = mail.example.com\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("config: line 3, column").hasMessageContaining("not valid TOML");
        assertThatThrownBy(() -> SealpostConfig.parse("[server\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("config: line 1, column");
    }

    @Test
    void srsKeys() {
        SealpostConfig c = SealpostConfig.parse(MINIMAL, BASE);
        assertThat(c.srs().enabled()).isTrue();
        assertThat(c.srs().maxAgeDays()).isEqualTo(21);
        assertThat(c.srs().secretFile()).isEqualTo(c.server().dataDir().resolve("srs-secrets"));
        SealpostConfig d = SealpostConfig.parse(MINIMAL + "[srs]\nenabled = false\nmax_age_days = 7\nsecret_file = \"keys/srs\"\n", BASE);
        assertThat(d.srs()).isEqualTo(new SealpostConfig.Srs(false, 7, BASE.resolve("keys/srs").normalize()));
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[srs]\nmax_age_days = 0\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("srs.max_age_days");
    }

    @Test
    void accountsAndLogKeys() {
        SealpostConfig c = SealpostConfig.parse(MINIMAL, BASE);
        assertThat(c.accounts().passwordMinLength()).isEqualTo(12);
        assertThat(c.log()).isEqualTo(new SealpostConfig.Log("info", null, "text"));
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[log]\nformat = \"xml\"\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'log.format'");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[accounts]\npassword_min_length = 4\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'accounts.password_min_length'");
    }

    @Test
    void defaultsApplyWhenTablesAreAbsent() {
        SealpostConfig c = SealpostConfig.parse(MINIMAL, BASE);
        assertThat(c.server().dataDir()).isEqualTo(Path.of("/srv/sealpost/data"));
        assertThat(c.server().hostname()).isEqualTo("localhost");
        assertThat(c.server().postmaster()).isNull();
        assertThat(c.smtp().maxMessageSize()).isEqualTo(35L * 1024 * 1024);
        assertThat(c.smtp().allowAuthWithoutTls()).isFalse();
        assertThat(c.smtp().senderMustMatch()).isTrue();
        assertThat(c.smtp().idleTimeout().toSeconds()).isEqualTo(300);
        assertThat(c.listeners().submission()).isEmpty();
        assertThat(c.tls().enabled()).isFalse();
        assertThat(c.dns().servers()).isEmpty();
        assertThat(c.dns().dnssec()).isTrue();
        assertThat(c.dns().timeout().toMillis()).isEqualTo(3000);
        assertThat(c.dns().trustAnchors()).isNull();
    }

    @Test
    void accessListenersAndWebKeys() {
        SealpostConfig c = SealpostConfig.parse(MINIMAL, BASE);
        assertThat(c.listeners().imap()).isEmpty();
        assertThat(c.listeners().http()).isEmpty();
        assertThat(c.listeners().https()).isEmpty();
        assertThat(c.imap().allowAuthWithoutTls()).isFalse();
        assertThat(c.imap().idleTimeout().toMinutes()).isEqualTo(30);
        assertThat(c.imap().maxAppendSize()).isEqualTo(35L * 1024 * 1024);
        assertThat(c.pop3().allowAuthWithoutTls()).isFalse();
        assertThat(c.web().mtaStsMode()).isEqualTo("testing");
        assertThat(c.web().mtaStsMx()).containsExactly("localhost");
        assertThat(c.web().mtaStsMaxAge()).isEqualTo(604_800);

        SealpostConfig d = SealpostConfig.parse("""
                [server]
                data_dir = "data"
                hostname = "mx1.example.org"
                [listeners]
                submission = ""
                submissions = ""
                imap = "127.0.0.1:1143"
                imaps = ""
                pop3 = ""
                pop3s = ""
                http = "127.0.0.1:8080"
                [managesieve]
                enabled = false
                [imap]
                allow_plaintext_auth = true
                max_connections_per_account = 5
                [web]
                mta_sts_mode = "enforce"
                mta_sts_mx = ["mx1.example.org", "*.example.org"]
                mta_sts_max_age = 86400
                """, BASE);
        assertThat(d.listeners().imap()).get().extracting(a -> a.getPort()).isEqualTo(1143);
        assertThat(d.listeners().http()).get().extracting(a -> a.getPort()).isEqualTo(8080);
        assertThat(d.imap().maxConnectionsPerAccount()).isEqualTo(5);
        assertThat(d.web().mtaStsMode()).isEqualTo("enforce");
        assertThat(d.web().mtaStsMx()).containsExactly("mx1.example.org", "*.example.org");

        // without a certificate, implicit-TLS listeners and cleartext logins are refused, naming the key
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL.replace("imaps = \"\"", "imaps = \"127.0.0.1:993\""), BASE))
                .hasMessageContaining("tls.certificate").hasMessageContaining("listeners.imaps");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL.replace("pop3 = \"\"", "pop3 = \"127.0.0.1:110\""), BASE))
                .hasMessageContaining("tls.certificate").hasMessageContaining("pop3.allow_plaintext_auth");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[web]\nmta_sts_mode = \"strict\"\n", BASE))
                .hasMessageContaining("web.mta_sts_mode");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[web]\nmta_sts_mx = [\"bad host\"]\n", BASE))
                .hasMessageContaining("web.mta_sts_mx");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[imap]\nidle_timeout_seconds = 60\n", BASE))
                .hasMessageContaining("imap.idle_timeout_seconds");
    }

    @Test
    void bimiIsOffByDefaultAndConfigurable() {
        assertThat(SealpostConfig.parse(MINIMAL, BASE).auth().bimi().enabled()).isFalse();
        SealpostConfig c = SealpostConfig.parse(MINIMAL + "[auth]\nbimi = true\nbimi_mark_roots = [\"vmc-roots.pem\"]\nbimi_require_evidence = true\n", BASE);
        assertThat(c.auth().bimi().enabled()).isTrue();
        assertThat(c.auth().bimi().markRoots()).containsExactly(Path.of("/srv/sealpost/vmc-roots.pem"));
        assertThat(c.auth().bimi().requireEvidence()).isTrue();
    }

    @Test
    void dnsServersTakeOptionalPorts() {
        SealpostConfig c = SealpostConfig.parse(MINIMAL + "[dns]\nservers = [\"127.0.0.1:5353\", \"::1\"]\ntrust_anchors = \"anchors.txt\"\n", BASE);
        assertThat(c.dns().servers()).extracting(a -> a.getPort()).containsExactly(5353, 53);
        assertThat(c.dns().trustAnchors()).isEqualTo(Path.of("/srv/sealpost/anchors.txt"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown key         | [server]\\ndata_dir = 'd'\\nhost_name = 'x'                       | unknown key 'server.host_name'",
            "unknown table key   | [server]\\ndata_dir = 'd'\\n[smpt]\\nmax_errors = 3                | unknown key 'smpt.max_errors'",
            "wrong type          | [server]\\ndata_dir = 'd'\\n[smtp]\\nmax_recipients = 'many'        | key 'smtp.max_recipients': expected an integer, got a string",
            "out of range        | [server]\\ndata_dir = 'd'\\n[smtp]\\nmax_recipients = 0             | key 'smtp.max_recipients': expected an integer from 1 to 100000, got 0",
            "boolean             | [server]\\ndata_dir = 'd'\\n[smtp]\\nallow_plaintext_auth = 'yes'   | key 'smtp.allow_plaintext_auth': expected true or false",
            "missing data dir    | [server]\\nhostname = 'mx.example.com'                          | key 'server.data_dir': required",
            "bad host name       | [server]\\ndata_dir = 'd'\\nhostname = 'bad host'                 | key 'server.hostname': expected a host name",
            "bad listener        | [server]\\ndata_dir = 'd'\\n[listeners]\\nsmtp = 'localhost'        | key 'listeners.smtp': expected host:port",
            "bad port            | [server]\\ndata_dir = 'd'\\n[listeners]\\nsmtp = '127.0.0.1:99999'  | key 'listeners.smtp': port out of range",
            "listener by name    | [server]\\ndata_dir = 'd'\\n[listeners]\\nimap = 'mail.example.com:143' | key 'listeners.imap': expected an IP address (or localhost)",
            "cert without key    | [server]\\ndata_dir = 'd'\\n[tls]\\ncertificate = 'c.pem'         | key 'tls.private_key': required",
            "submission no TLS   | [server]\\ndata_dir = 'd'\\n[listeners]\\nsubmissions = ''          | key 'tls.certificate': required when listeners.submission is set",
            "submissions no TLS  | [server]\\ndata_dir = 'd'                                       | key 'tls.certificate': required when listeners.submissions is set",
            "bad jdbc url        | [server]\\ndata_dir = 'd'\\n[store]\\njdbc_url = 'mysql://x'      | key 'store.jdbc_url': expected jdbc:postgresql",
            "bad postmaster      | [server]\\ndata_dir = 'd'\\npostmaster = 'nobody'                 | key 'server.postmaster': expected an email address",
            "table expected      | server = 'x'                                                      | key 'server': expected a table",
            "dns server name     | [server]\\ndata_dir = 'd'\\n[dns]\\nservers = ['ns.example']     | key 'dns.servers': expected IP addresses",
            "dns not a list      | [server]\\ndata_dir = 'd'\\n[dns]\\nservers = '1.1.1.1'          | key 'dns.servers': expected an array of strings",
            "bad dmarc override  | [server]\\ndata_dir = 'd'\\n[auth]\\ndmarc_overrides = ['x.test = maybe'] | key 'auth.dmarc_overrides': expected",
            "not toml            | [server\\ndata_dir = 'd'                                          | not valid TOML",
            "relay no port num   | [server]\\ndata_dir = 'd'\\n[queue]\\nrelay_host = 'smtp.example:x'  | key 'queue.relay_host': expected host:port with a numeric port",
            "relay bad host      | [server]\\ndata_dir = 'd'\\n[queue]\\nrelay_host = 'bad host:25'     | key 'queue.relay_host': expected host:port with a host name",
            "relay port range    | [server]\\ndata_dir = 'd'\\n[queue]\\nrelay_host = 'smtp.example:0'  | key 'queue.relay_host': port out of range",
            "relay v6 no bracket | [server]\\ndata_dir = 'd'\\n[queue]\\nrelay_host = '2001:db8::1'    | key 'queue.relay_host': write IPv6 addresses as [address]:port",
            "user without relay  | [server]\\ndata_dir = 'd'\\n[queue]\\nrelay_user = 'u'\\nrelay_password = 'p' | key 'queue.relay_user': needs queue.relay_host",
            "user no password    | [server]\\ndata_dir = 'd'\\n[queue]\\nrelay_host = 'r.example'\\nrelay_user = 'u' | key 'queue.relay_password': required",
            "mx port range       | [server]\\ndata_dir = 'd'\\n[queue]\\nmx_port = 70000               | key 'queue.mx_port': expected an integer from 1 to 65535",
            "max age range       | [server]\\ndata_dir = 'd'\\n[queue]\\nmax_age_hours = 0             | key 'queue.max_age_hours': expected an integer from 1",
            "concurrency range   | [server]\\ndata_dir = 'd'\\n[queue]\\nconcurrency_per_domain = 0    | key 'queue.concurrency_per_domain': expected an integer from 1",
            "transport syntax    | [server]\\ndata_dir = 'd'\\n[queue]\\ntransports = ['example.org']  | key 'queue.transports': expected \"domain = host:port\"",
            "queue unknown key   | [server]\\ndata_dir = 'd'\\n[queue]\\nrelayhost = 'x'               | unknown key 'queue.relayhost'",
            "dane not boolean    | [server]\\ndata_dir = 'd'\\n[queue]\\ndane = 'yes'                  | key 'queue.dane'",
            "mta_sts not boolean | [server]\\ndata_dir = 'd'\\n[queue]\\nmta_sts = 1                   | key 'queue.mta_sts'",
            "tls_ca missing      | [server]\\ndata_dir = 'd'\\n[queue]\\ntls_ca = '/nonexistent/ca.pem' | key 'queue.tls_ca': expected a PEM file of CA certificates",
            "tlsrpt org non-ascii| [server]\\ndata_dir = 'd'\\n[queue]\\ntlsrpt_org_name = 'Caf\u00e9'  | key 'queue.tlsrpt_org_name': expected printable ASCII",
    })
    void badConfigNamesTheKeyAndWhatWasExpected(String name, String toml, String message) {
        String text = toml.trim().replace("\\n", "\n");
        assertThatThrownBy(() -> SealpostConfig.parse(text, BASE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message.trim());
    }

    @Test
    void queueDefaultsAndValues() {
        SealpostConfig.Queue d = SealpostConfig.parse(MINIMAL, BASE).queue();
        assertThat(d.relayHost()).isNull();
        assertThat(d.relayUser()).isNull();
        assertThat(d.mxPort()).isEqualTo(25);
        assertThat(d.maxAgeHours()).isEqualTo(120);
        assertThat(d.delayWarningHours()).isEqualTo(4);
        assertThat(d.concurrencyPerDomain()).isEqualTo(4);
        assertThat(d.transports()).isEmpty();
        SealpostConfig.Queue q = SealpostConfig.parse(MINIMAL + """
                [queue]
                relay_host = "smtp.provider.example:587"
                relay_user = "me@example.com"
                relay_password = "s3cret"
                mx_port = 2525
                max_age_hours = 48
                delay_warning_hours = 2
                concurrency_per_domain = 8
                transports = ["Example.ORG = 10.0.0.5:25", "v6.example = [2001:db8::5]:2525", "plain.example = mx.plain.example"]
                """, BASE).queue();
        assertThat(q.relayHost()).isEqualTo("smtp.provider.example");
        assertThat(q.relayPort()).isEqualTo(587);
        assertThat(q.relayUser()).isEqualTo("me@example.com");
        assertThat(q.relayPassword()).isEqualTo("s3cret");
        assertThat(q.toString()).doesNotContain("s3cret");
        assertThat(q.mxPort()).isEqualTo(2525);
        assertThat(q.maxAgeHours()).isEqualTo(48);
        assertThat(q.delayWarningHours()).isEqualTo(2);
        assertThat(q.concurrencyPerDomain()).isEqualTo(8);
        assertThat(q.transports()).containsEntry("example.org", "10.0.0.5:25").containsEntry("v6.example", "[2001:db8::5]:2525")
                .containsEntry("plain.example", "mx.plain.example:25");
        assertThat(SealpostConfig.parse(MINIMAL + "[queue]\nrelay_host = \"[::1]\"\n", BASE).queue().relayHost()).isEqualTo("[::1]");
    }

    @Test
    void transportSecurityKeys(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        SealpostConfig.Queue d = SealpostConfig.parse(MINIMAL, BASE).queue();
        assertThat(d.dane()).isTrue();
        assertThat(d.mtaSts()).isTrue();
        assertThat(d.tlsCa()).isNull();
        assertThat(d.tlsrptOrgName()).isEqualTo("localhost");
        Path cert = dir.resolve("ca.pem"), key = dir.resolve("ca.key");
        dev.sealpost.app.tls.TlsFiles.writeSelfSigned(cert, key, "Lab CA", java.util.List.of("ca.test"), java.util.List.of());
        SealpostConfig.Queue q = SealpostConfig.parse(MINIMAL + """
                [queue]
                dane = false
                mta_sts = false
                tls_ca = "ca.pem"
                tlsrpt_org_name = "Example Org"
                """, dir).queue();
        assertThat(q.dane()).isFalse();
        assertThat(q.mtaSts()).isFalse();
        assertThat(q.tlsCa()).isEqualTo(cert);
        assertThat(q.tlsrptOrgName()).isEqualTo("Example Org");
        // the file is checked at load: a file without certificates is a config error naming the key
        Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[queue]\ntls_ca = \"empty.pem\"\n", dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'queue.tls_ca'");
    }

    @Test
    void loadReportsAMissingFile() {
        assertThatThrownBy(() -> SealpostConfig.load(Path.of("/nonexistent/sealpost.toml")))
                .isInstanceOf(ConfigException.class).hasMessage("config file /nonexistent/sealpost.toml does not exist");
    }

    @Test
    void relativePathsResolveAgainstTheConfigFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("sealpost.toml");
        Files.writeString(f, MINIMAL + "[tls]\ncertificate = \"tls/c.pem\"\nprivate_key = \"tls/k.pem\"\n");
        SealpostConfig c = SealpostConfig.load(f);
        assertThat(c.tls().certificate()).isEqualTo(dir.resolve("tls/c.pem"));
        assertThat(c.server().dataDir()).isEqualTo(dir.resolve("data"));
    }

    @Test
    void reportKeysDefaultsValuesAndErrors() {
        SealpostConfig.Auth d = SealpostConfig.parse(MINIMAL, BASE).auth();
        assertThat(d.dmarcReports()).isTrue();
        assertThat(d.reportFrom()).isEqualTo("postmaster@localhost");
        assertThat(d.reportMailboxes()).isEmpty();
        SealpostConfig.Auth a = SealpostConfig.parse(MINIMAL + """
                [auth]
                dmarc_reports = false
                report_from = "dmarc-noreply@mx.example.com"
                report_mailboxes = ["DMARC-Reports@Example.com", "tlsrpt@example.com"]
                """, BASE).auth();
        assertThat(a.dmarcReports()).isFalse();
        assertThat(a.reportFrom()).isEqualTo("dmarc-noreply@mx.example.com");
        assertThat(a.reportMailboxes()).containsExactly("dmarc-reports@example.com", "tlsrpt@example.com");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[auth]\nreport_from = 'postmaster'\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'auth.report_from': expected an email address");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[auth]\nreport_mailboxes = ['a@b.example', 'nope']\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'auth.report_mailboxes': expected email addresses, got 'nope'");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[auth]\ndmarc_reports = 'yes'\n", BASE))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'auth.dmarc_reports'");
    }
}

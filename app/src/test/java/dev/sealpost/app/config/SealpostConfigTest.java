package dev.sealpost.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

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
            """;

    @Test
    void shippedExampleConfigIsValidAndDocumentsEveryKey() throws Exception {
        Path example = Path.of("../conf/sealpost.toml");
        SealpostConfig c = SealpostConfig.load(example);
        assertThat(c.server().hostname()).isEqualTo("mail.example.com");
        assertThat(c.listeners().smtp()).get().extracting(a -> a.getPort()).isEqualTo(25);
        assertThat(c.smtp().maxRecipients()).isEqualTo(100);
        assertThat(c.store().jdbcUrl()).isNull();
        assertThat(c.tls().enabled()).isTrue();
    }

    @Test
    void defaultsApplyWhenTablesAreAbsent() {
        SealpostConfig c = SealpostConfig.parse(MINIMAL, BASE);
        assertThat(c.server().dataDir()).isEqualTo(Path.of("/srv/sealpost/data"));
        assertThat(c.server().hostname()).isEqualTo("localhost");
        assertThat(c.server().postmaster()).isNull();
        assertThat(c.smtp().maxMessageSize()).isEqualTo(35L * 1024 * 1024);
        assertThat(c.smtp().allowPlaintextAuth()).isFalse();
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
            "cert without key    | [server]\\ndata_dir = 'd'\\n[tls]\\ncertificate = 'c.pem'         | key 'tls.private_key': required",
            "submission no TLS   | [server]\\ndata_dir = 'd'\\n[listeners]\\nsubmissions = ''          | key 'tls.certificate': required when listeners.submission is set",
            "submissions no TLS  | [server]\\ndata_dir = 'd'                                       | key 'tls.certificate': required when listeners.submissions is set",
            "bad jdbc url        | [server]\\ndata_dir = 'd'\\n[store]\\njdbc_url = 'mysql://x'      | key 'store.jdbc_url': expected jdbc:postgresql",
            "bad postmaster      | [server]\\ndata_dir = 'd'\\npostmaster = 'nobody'                 | key 'server.postmaster': expected an email address",
            "table expected      | server = 'x'                                                      | key 'server': expected a table",
            "dns server name     | [server]\\ndata_dir = 'd'\\n[dns]\\nservers = ['ns.example']     | key 'dns.servers': expected IP addresses",
            "dns not a list      | [server]\\ndata_dir = 'd'\\n[dns]\\nservers = '1.1.1.1'          | key 'dns.servers': expected an array of strings",
            "not toml            | [server\\ndata_dir = 'd'                                          | not valid TOML",
    })
    void badConfigNamesTheKeyAndWhatWasExpected(String name, String toml, String message) {
        String text = toml.trim().replace("\\n", "\n");
        assertThatThrownBy(() -> SealpostConfig.parse(text, BASE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message.trim());
    }

    @Test
    void loadReportsAMissingFile() {
        assertThatThrownBy(() -> SealpostConfig.load(Path.of("/nonexistent/sealpost.toml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read config file");
    }

    @Test
    void relativePathsResolveAgainstTheConfigFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("sealpost.toml");
        Files.writeString(f, MINIMAL + "[tls]\ncertificate = \"tls/c.pem\"\nprivate_key = \"tls/k.pem\"\n");
        SealpostConfig c = SealpostConfig.load(f);
        assertThat(c.tls().certificate()).isEqualTo(dir.resolve("tls/c.pem"));
        assertThat(c.server().dataDir()).isEqualTo(dir.resolve("data"));
    }
}

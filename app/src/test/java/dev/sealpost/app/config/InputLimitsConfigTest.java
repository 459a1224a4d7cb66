package dev.sealpost.app.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The header limit and command deadline keys of [smtp] and [imap]: defaults, values, and start-up failures naming the key. */
class InputLimitsConfigTest {
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
    void defaults() {
        SealpostConfig.Smtp s = SealpostConfig.parse(MINIMAL, BASE).smtp();
        assertThat(s.maxHeaderSize()).isEqualTo(1024 * 1024);
        assertThat(s.maxHeaderFields()).isEqualTo(1000);
        assertThat(s.deadline().perCommand()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.deadline().minRate()).isEqualTo(1024);
        assertThat(SealpostConfig.parse(MINIMAL, BASE).pop3().deadline().perCommand()).isEqualTo(Duration.ofMinutes(5));
        assertThat(SealpostConfig.parse(MINIMAL + "[pop3]\ncommand_deadline_seconds = 900\n", BASE).pop3().deadline().perCommand())
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(SealpostConfig.parse(MINIMAL, BASE).imap().deadline().perCommand()).isEqualTo(Duration.ofMinutes(5));
        assertThat(SealpostConfig.parse(MINIMAL, BASE).imap().maxHeaderSize()).isEqualTo(1024 * 1024);
        assertThat(SealpostConfig.parse(MINIMAL, BASE).imap().maxHeaderFields()).isEqualTo(1000);
        assertThat(SealpostConfig.parse(MINIMAL, BASE).imap().maxMailboxes()).isEqualTo(10_000);
        assertThat(SealpostConfig.parse(MINIMAL + "[imap]\nmax_mailboxes = 500\n", BASE).imap().maxMailboxes()).isEqualTo(500);
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[imap]\nmax_mailboxes = 0\n", BASE)).hasMessageContaining("imap.max_mailboxes");
        assertThat(SealpostConfig.parse(MINIMAL + "[imap]\ncommand_deadline_seconds = 600\n", BASE).imap().deadline().perCommand())
                .isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[imap]\ncommand_deadline_seconds = 30\n", BASE))
                .hasMessageContaining("imap.command_deadline_seconds");
    }

    @Test
    void values() {
        SealpostConfig.Smtp s = SealpostConfig.parse(MINIMAL + "[smtp]\nmax_header_size = 262144\nmax_header_fields = 500\n"
                + "command_deadline_seconds = 600\nmin_data_rate = 4096\n", BASE).smtp();
        assertThat(s.maxHeaderSize()).isEqualTo(262144);
        assertThat(s.maxHeaderFields()).isEqualTo(500);
        SealpostConfig.Imap i = SealpostConfig.parse(MINIMAL + "[imap]\nmax_header_size = 131072\nmax_header_fields = 200\n", BASE).imap();
        assertThat(i.maxHeaderSize()).isEqualTo(131072);
        assertThat(i.maxHeaderFields()).isEqualTo(200);
        assertThat(s.deadline().perCommand()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.deadline().minRate()).isEqualTo(4096);
    }

    @Test
    void badValuesFailNamingTheKey() {
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[smtp]\nmax_header_size = 100\n", BASE)).hasMessageContaining("smtp.max_header_size");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[smtp]\nmax_header_fields = 0\n", BASE)).hasMessageContaining("smtp.max_header_fields");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[imap]\nmax_header_size = 100\n", BASE)).hasMessageContaining("imap.max_header_size");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[imap]\nmax_header_fields = 0\n", BASE)).hasMessageContaining("imap.max_header_fields");
        // RFC 5321 §4.5.3.2: no less than 5 minutes per command
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[smtp]\ncommand_deadline_seconds = 60\n", BASE)).hasMessageContaining("smtp.command_deadline_seconds");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[smtp]\nmin_data_rate = 0\n", BASE)).hasMessageContaining("smtp.min_data_rate");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[pop3]\ncommand_deadline_seconds = 10\n", BASE)).hasMessageContaining("pop3.command_deadline_seconds");
    }
}

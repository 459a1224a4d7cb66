package dev.sealpost.it;

import dev.sealpost.smtp.server.ListenerKind;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Jakarta Mail (Angus, from GreenMail) as an SMTP client: STARTTLS required, AUTH, UTF-8 content. */
class JakartaMailInteropTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Session session(String password) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(server.port(ListenerKind.SUBMISSION)));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.trust", "127.0.0.1");
        p.put("mail.smtp.ssl.checkserveridentity", "false");
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        p.put("mail.smtp.user", TestServer.USER);
        return Session.getInstance(p, new jakarta.mail.Authenticator() {
            @Override
            protected jakarta.mail.PasswordAuthentication getPasswordAuthentication() {
                return new jakarta.mail.PasswordAuthentication(TestServer.USER, password);
            }
        });
    }

    @Test
    void sendsUtf8MessageThroughSubmission() throws Exception {
        MimeMessage m = new MimeMessage(session(TestServer.PASSWORD));
        m.setFrom(new InternetAddress(TestServer.USER));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@example.test"));
        m.setSubject("Grüße aus Jakarta", "UTF-8");
        m.setText("Ça marche — 日本語\n", "UTF-8");
        Transport.send(m);
        String stored = server.awaitContent("bob@example.test", "Content-Type: text/plain; charset=UTF-8");
        assertThat(stored).contains("Subject: =?UTF-8?").contains("with ESMTPSA");
    }

    @Test
    void wrongPasswordIsRefused() {
        MimeMessage m = new MimeMessage(session("not the password"));
        assertThatThrownBy(() -> {
            m.setFrom(new InternetAddress(TestServer.USER));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@example.test"));
            m.setText("x");
            Transport.send(m);
        }).isInstanceOf(jakarta.mail.AuthenticationFailedException.class);
    }
}

package dev.sealpost.it;

import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.SieveScripts;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's delivery-time Sieve actions through the whole server, with real peers: swaks sends
 * to the MX; an admin before script (V17) and the user's script edit the stored copy
 * (editheader), file it and send a mailto notification that the outbound queue delivers to the
 * remote MTA (a capturing sink); curl reads the filed copy back over IMAPS; a script that fails at
 * run time keeps the mail and files one error report per script version.
 */
class SieveActionsEndToEndTest {
    @TempDir
    Path dir;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    TestServer start(SrsForwardingEndToEndTest.SinkMta sink) throws Exception {
        TestServer server = new TestServer(dir.resolve("server"), "", SrsForwardingEndToEndTest.ZONE, """
                [queue]
                mx_port = %d
                dane = false
                mta_sts = false
                [auth]
                enabled = false
                """.formatted(sink.server.getLocalPort()));
        open.add(server);
        return server;
    }

    Peers.Result swaks(TestServer server, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port", "" + server.port(ListenerKind.MX),
                "--timeout", "20"));
        cmd.addAll(List.of(args));
        Peers.Result r = Peers.run(cmd, dir, 60);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("250 2.0.0 Ok: queued as");
        return r;
    }

    @Test
    void editheaderAndNotifyAndAGlobalScriptOverSwaks() throws Exception {
        Peers.require("swaks");
        SrsForwardingEndToEndTest.SinkMta sink = new SrsForwardingEndToEndTest.SinkMta();
        open.add(sink);
        TestServer server = start(sink);
        server.store().sieveScripts().putGlobal("", SieveScripts.Phase.BEFORE, "stamp",
                "require \"editheader\";\naddheader \"X-Global-Before\" \"checked\";\n");
        SrsForwardingEndToEndTest.activate(server, "bob@example.test", """
                require ["fileinto", "mailbox", "enotify", "editheader", "variables"];
                if header :contains "subject" "urgent" {
                    set "s" "${0}";
                    if header :matches "subject" "*" { set "s" "${1}"; }
                    notify :importance "1" :message "Urgent: ${s}" "mailto:pager@far.test";
                    deleteheader "X-Remove-Me";
                    deleteheader "Received";
                    fileinto :create "Urgent";
                }
                """);
        swaks(server, "--from", "sender@origin.test", "--to", "bob@example.test", "--header", "Subject: urgent swaks",
                "--header", "X-Remove-Me: secret", "--body", "please call");

        String stored = server.awaitContent("bob@example.test", "Urgent", "urgent swaks");
        assertThat(stored).startsWith("X-Global-Before: checked\r\n").doesNotContain("X-Remove-Me").contains("\r\nReceived: ");
        assertThat(server.inbox("bob@example.test")).isEmpty();

        // the notification left through the outbound queue: null sender, auto-notified, to the mailto recipient
        SrsForwardingEndToEndTest.Received n = sink.awaitTo("pager@far.test", "Urgent: urgent swaks");
        assertThat(n.mailFrom()).isEmpty();
        assertThat(n.data()).contains("Auto-Submitted: auto-notified", "From: bob@example.test", "Importance: high",
                "From: sender@origin.test") // a summary of the original in the body, never its content
                .doesNotContain("please call");

        // the edited copy (no cached structure) reads back over IMAPS with curl, as a client sees it
        Peers.require("curl");
        Mailboxes.MessageInfo m = server.store().mailboxes().messages(server.accountId("bob@example.test"), "Urgent").getFirst();
        Peers.Result c = Peers.run(List.of("curl", "-sk", "--max-time", "20", "-u", "bob@example.test:bob password 123",
                "imaps://127.0.0.1:" + server.imapPort(true) + "/Urgent;UID=" + m.uid()), dir, 60);
        assertThat(c.exit()).as(c.output()).isZero();
        assertThat(c.output()).contains("X-Global-Before: checked").contains("Subject: urgent swaks").doesNotContain("X-Remove-Me");

        // list mail gets no notification (RFC 3834 §2), the message is still filed
        swaks(server, "--from", "list@origin.test", "--to", "bob@example.test", "--header", "Subject: urgent list",
                "--header", "List-Id: <news.origin.test>");
        server.awaitContent("bob@example.test", "Urgent", "urgent list");
        Thread.sleep(1500);
        assertThat(sink.count("pager@far.test")).isEqualTo(1);
    }

    @Test
    void aFailingScriptKeepsTheMailAndReportsOncePerVersion() throws Exception {
        Peers.require("swaks");
        SrsForwardingEndToEndTest.SinkMta sink = new SrsForwardingEndToEndTest.SinkMta();
        open.add(sink);
        TestServer server = start(sink);
        // five redirects pass the bound of four: a run-time error (RFC 5228 §2.10.6)
        SrsForwardingEndToEndTest.activate(server, "bob@example.test", "require \"fileinto\";\nfileinto \"Elsewhere\";\n"
                + "redirect \"a@far.test\";\nredirect \"b@far.test\";\nredirect \"c@far.test\";\nredirect \"d@far.test\";\nredirect \"e@far.test\";\n");
        swaks(server, "--from", "sender@origin.test", "--to", "bob@example.test", "--header", "Subject: first failing");
        swaks(server, "--from", "sender@origin.test", "--to", "bob@example.test", "--header", "Subject: second failing");
        server.awaitContent("bob@example.test", "second failing");
        String report = server.awaitContent("bob@example.test", "Sieve: errors in your script");
        assertThat(report).contains("From: Mail filter <postmaster@example.test>", "Auto-Submitted: auto-generated", "line 7");
        assertThat(server.awaitInbox("bob@example.test", 3)).hasSize(3);
        Thread.sleep(1000);
        assertThat(server.inbox("bob@example.test")).hasSize(3); // two messages, one report
        assertThat(sink.received).isEmpty(); // nothing redirected
    }
}

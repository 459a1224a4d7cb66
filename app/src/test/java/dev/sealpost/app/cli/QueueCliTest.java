package dev.sealpost.app.cli;

import dev.sealpost.store.BlobRef;
import dev.sealpost.store.OutboundQueue;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sealpost queue ...} on a data directory (as with the demo's). */
class QueueCliTest {
    @TempDir
    Path dir;
    private CliRun cli;

    @BeforeEach
    void capture() {
        cli = new CliRun(dir);
    }

    @AfterEach
    void restore() {
        cli.close();
    }

    private int run(String... args) {
        return cli.run(args);
    }

    private String out() {
        return cli.out();
    }

    private long spoolRemote(String from, String... to) throws Exception {
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            BlobRef blob = s.blobs().put("Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII));
            long id = s.spool().enqueue(new Spool.Envelope(from, java.util.Arrays.stream(to).map(a -> new Spool.Recipient(a, null, null)).toList(),
                    null, null, null, null, false, false, null, null, null, Instant.now()), blob);
            s.spool().complete(id, s.spool().get(id).orElseThrow().recipients().stream()
                    .map(r -> (Spool.Disposition) new Spool.Remote(r.id(), List.of(r.address()))).toList());
            return id;
        }
    }

    private OutboundQueue.Delivery delivery(long id) {
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            return s.outbound().show(id).orElseThrow().deliveries().getFirst();
        }
    }

    @Test
    void listShowHoldReleaseRetryBounceDelete() throws Exception {
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            // creates the database
        }
        assertThat(run("queue", "list")).isZero();
        assertThat(out()).contains("queue is empty");
        long a = spoolRemote("alice@local.test", "bob@remote.test");
        long b = spoolRemote("alice@local.test", "carol@remote.test");
        assertThat(run("queue", "list")).isZero();
        assertThat(out()).contains(a + " ").contains("<bob@remote.test> PENDING").contains("<carol@remote.test> PENDING");
        assertThat(run("queue", "show", Long.toString(a))).isZero();
        assertThat(out()).contains("from:         <alice@local.test>").contains("<bob@remote.test> PENDING");
        assertThat(run("queue", "hold", Long.toString(a))).isZero();
        assertThat(delivery(a).held()).isTrue();
        assertThat(run("queue", "list")).isZero();
        assertThat(out()).contains("HELD");
        assertThat(run("queue", "release", Long.toString(a))).isZero();
        assertThat(delivery(a).held()).isFalse();
        assertThat(run("queue", "retry", "--all")).isZero();
        assertThat(out()).contains("2 recipient(s) due now");
        assertThat(run("queue", "retry")).isEqualTo(2);
        assertThat(run("queue", "bounce", Long.toString(a), "--reason", "spam run")).isZero();
        OutboundQueue.Delivery d = delivery(a);
        assertThat(d.state()).isEqualTo(OutboundQueue.State.FAILED);
        assertThat(d.lastReply()).isEqualTo("554 5.0.0 spam run");
        assertThat(d.dsnPending()).isEqualTo(OutboundQueue.DsnAction.FAILED);
        assertThat(run("queue", "delete", Long.toString(b))).isZero();
        assertThat(run("queue", "show", Long.toString(b))).isEqualTo(2);
        assertThat(cli.err()).contains("no queued message " + b);
        assertThat(run("queue", "hold", "999")).isEqualTo(2);
    }
}

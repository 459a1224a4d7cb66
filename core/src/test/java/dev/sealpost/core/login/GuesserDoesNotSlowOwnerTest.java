package dev.sealpost.core.login;

import dev.sealpost.core.auth.LoginThrottle;
import dev.sealpost.core.auth.PasswordHasher;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability finding 6: while one address guesses an account's password over many parallel
 * connections, the owner's correct login from another address must not be slowed down. Each
 * session is a virtual thread; a guess costs a full PBKDF2. Before the fix the guessers' hashing
 * held every carrier thread of the virtual-thread scheduler (CPU-bound code is never preempted),
 * so the owner's session could not even run until the guessing stopped (seconds).
 */
class GuesserDoesNotSlowOwnerTest {

    @Test
    void ownersLoginFromAnotherAddressIsNotHeldUpByAGuesser() throws Exception {
        // the throttle's delays only ever hold up failures; many parallel connections get round them
        LoginThrottle.Settings noDelay = new LoginThrottle.Settings(1_000_000, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(10), 1_000_000, 1000);
        LoginGate gate = new LoginGate(new LoginThrottle(Clock.systemUTC(), noDelay));
        // near production cost (310 000) for the guesses; the owner's own check is cheap (as a cached
        // verification is, core.auth.VerifiedPasswords), so what is timed is only the wait for a CPU
        String aliceHash = PasswordHasher.hash("right".toCharArray(), 200_000, 4096).passwordHash();
        String aliceCheap = PasswordHasher.hash("right".toCharArray(), 1000, 4096).passwordHash();
        InetAddress guesserIp = InetAddress.getByName("127.0.0.80"), ownerIp = InetAddress.getByName("127.0.0.1");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger guesses = new AtomicInteger();
        List<Thread> guessers = new ArrayList<>();
        int n = 4 * Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < n; i++) {
            LoginGate.Client c = new LoginGate.Client("pop3", "guess-" + i, guesserIp);
            guessers.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    if (gate.blocked(c, "USER")) continue;
                    boolean ok = PasswordHasher.verify(aliceHash, ("guess" + guesses.incrementAndGet()).toCharArray());
                    try {
                        if (!ok) gate.failed(c, "USER", "alice@example.test", "bad-credentials", () -> {});
                    } catch (IOException e) {
                        return;
                    }
                }
            }));
        }
        try {
            Thread.sleep(500); // the guessing is in full swing
            LoginGate.Client owner = new LoginGate.Client("pop3", "owner", ownerIp);
            long t0 = System.nanoTime();
            CompletableFuture<Boolean> login = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                boolean ok = !gate.blocked(owner, "USER") && PasswordHasher.verify(aliceCheap, "right".toCharArray());
                if (ok) gate.succeeded(owner, "USER", "alice@example.test");
                login.complete(ok);
            });
            boolean ok = login.get(30, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("owner's login: " + ms + " ms while " + guesses.get() + " guesses ran");
            assertThat(ok).isTrue();
            // generous: at most one of the guesser's hashes runs ahead of hers (before the fix: seconds)
            assertThat(ms).as("owner's login took %d ms while %d guesses ran", ms, guesses.get()).isLessThan(1000);
        } finally {
            stop.set(true);
            for (Thread t : guessers) t.join();
        }
    }
}

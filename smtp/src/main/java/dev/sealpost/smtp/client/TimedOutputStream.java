package dev.sealpost.smtp.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Socket writes with a time limit: Java socket writes block without one, so a watchdog closes
 * the underlying TCP socket when one write (one buffer, at most 16 KiB) takes longer than the
 * limit (RFC 5321 §4.5.3.2.5: 3 minutes per data block).
 */
final class TimedOutputStream extends OutputStream {
    private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "sealpost-smtp-client-watchdog");
        t.setDaemon(true);
        return t;
    });

    static {
        WATCHDOG.setRemoveOnCancelPolicy(true);
    }

    private final OutputStream out;
    private final Socket tcp;
    private final long millis;
    private volatile boolean timedOut;

    TimedOutputStream(OutputStream out, Socket tcp, long millis) {
        this.out = out;
        this.tcp = tcp;
        this.millis = millis;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ScheduledFuture<?> f = WATCHDOG.schedule(this::expire, millis, TimeUnit.MILLISECONDS);
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw timedOut ? new SocketTimeoutException("write timed out after " + millis + " ms") : e;
        } finally {
            f.cancel(false);
        }
    }

    @Override
    public void flush() throws IOException {
        ScheduledFuture<?> f = WATCHDOG.schedule(this::expire, millis, TimeUnit.MILLISECONDS);
        try {
            out.flush();
        } catch (IOException e) {
            throw timedOut ? new SocketTimeoutException("write timed out after " + millis + " ms") : e;
        } finally {
            f.cancel(false);
        }
    }

    private void expire() {
        timedOut = true;
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}

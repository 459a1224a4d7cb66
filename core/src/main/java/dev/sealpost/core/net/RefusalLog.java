package dev.sealpost.core.net;

import org.slf4j.Logger;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Log lines for refused connections that stay few under a flood: the first refusal after a quiet
 * spell is logged at once; those that follow within the interval are counted and written as one
 * summary line per interval (per reason and per address, the busiest addresses first), until an
 * interval passes without refusals. Memory is bounded: at most {@link #MAX_ADDRESSES} addresses
 * are counted one by one per interval, the rest together.
 */
final class RefusalLog {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    static final int MAX_ADDRESSES = 1000;
    /** Addresses named in one summary line. */
    static final int LISTED = 10;

    private final String protocol;
    private final Logger log;
    private final Duration interval;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetAddress, long[]> perAddress = new LinkedHashMap<>();
    private final EnumMap<TcpListener.Refusal, Long> perReason = new EnumMap<>(TcpListener.Refusal.class);
    private long pending;
    /** Refusals from addresses past {@link #MAX_ADDRESSES} in this interval. */
    private long otherAddresses;
    private boolean active;
    private boolean closed;
    private Thread flusher;

    RefusalLog(String protocol, Logger log, Duration interval) {
        this.protocol = protocol;
        this.log = log;
        this.interval = interval;
    }

    /** Records one refusal; logs it now or in the next summary. */
    void refused(InetAddress ip, TcpListener.Refusal why, ConnectionLimits limits) {
        lock.lock();
        try {
            if (!active && !closed) {
                active = true;
                log.info("{} connection from {} refused: {}; further refusals are summarized every {} s", protocol,
                        ip.getHostAddress(), describe(why, limits), interval.toSeconds());
                flusher = Thread.ofVirtual().name(protocol.toLowerCase(java.util.Locale.ROOT) + "-refusal-log").start(this::flushLoop);
                return;
            }
            pending++;
            perReason.merge(why, 1L, Long::sum);
            long[] n = perAddress.get(ip);
            if (n != null) n[0]++;
            else if (perAddress.size() < MAX_ADDRESSES) perAddress.put(ip, new long[] {1});
            else otherAddresses++;
        } finally {
            lock.unlock();
        }
    }

    private void flushLoop() {
        while (true) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                flush();
                return;
            }
            if (!flush()) return;
        }
    }

    /** Writes the summary of what is pending; false (and quiet again) when nothing was. Called by the flusher thread (and tests). */
    boolean flush() {
        String line;
        lock.lock();
        try {
            if (pending == 0) {
                active = false;
                return false;
            }
            List<Map.Entry<InetAddress, long[]>> top = new ArrayList<>(perAddress.entrySet());
            top.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
            StringBuilder sb = new StringBuilder();
            sb.append(protocol).append(" refused ").append(pending).append(" more connection").append(pending == 1 ? "" : "s")
                    .append(" since the previous line ").append(perReason).append(": ");
            for (int i = 0; i < Math.min(LISTED, top.size()); i++) {
                if (i > 0) sb.append(", ");
                sb.append(top.get(i).getKey().getHostAddress()).append(" x").append(top.get(i).getValue()[0]);
            }
            int more = top.size() - Math.min(LISTED, top.size());
            if (more > 0) sb.append(" and ").append(more).append(" more addresses");
            if (otherAddresses > 0) sb.append("; ").append(otherAddresses).append(" from further addresses");
            line = sb.toString();
            pending = 0;
            otherAddresses = 0;
            perAddress.clear();
            perReason.clear();
        } finally {
            lock.unlock();
        }
        log.info(line);
        return true;
    }

    /** Writes what is pending now and stops the summaries. */
    void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            t = flusher;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String describe(TcpListener.Refusal why, ConnectionLimits limits) {
        return switch (why) {
            case TOO_MANY_FROM_ADDRESS -> "too many connections from this address (max_connections_per_ip "
                    + limits.maxConnectionsPerIp() + ")";
            case TOO_FAST_FROM_ADDRESS -> "too many new connections from this address (connection_rate_per_ip "
                    + limits.connectionRatePerIp() + " per minute)";
            case LISTENER_FULL -> "too many connections in all (max_connections " + limits.maxConnections() + ")";
        };
    }
}

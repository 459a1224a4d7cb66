package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.CommandReader;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * IDLE (RFC 2177, RFC 9051 §6.3.13): sends the selected mailbox's changes, kept searches' updates
 * and NOTIFY events until the client's DONE.
 */
final class IdleCommand extends CommandFamily {
    IdleCommand(ImapSession session) {
        super(session);
    }

    String idle(String tag, List<Arg> a) throws IOException, CommandFailed {
        noArgs(a);
        write("+ idling\r\n");
        if (selected() != null) {
            sync(true);
            searchUpdates(); // RFC 5267 §4.3: updates may come while idling
        }
        flush();
        ReentrantLock wakeLock = session.wakeLock();
        Condition wakeCond = session.wakeCond();
        CommandReader reader = session.reader();
        Object[] result = new Object[1];
        Thread idler = Thread.ofVirtual().name(id() + "-idle").start(() -> {
            Object r;
            try {
                String line = reader.readLine();
                r = line == null ? new EOFException() : line;
            } catch (CommandReader.ReadError e) {
                r = "";
            } catch (IOException | RuntimeException e) {
                r = e;
            }
            wakeLock.lock();
            try {
                result[0] = r;
                wakeCond.signalAll();
            } finally {
                wakeLock.unlock();
            }
        });
        long poll = cfg().limits().pollInterval().toMillis();
        try {
            while (true) {
                Object r;
                wakeLock.lock();
                try {
                    if (result[0] == null && !session.woken()) wakeCond.await(poll, TimeUnit.MILLISECONDS);
                    session.takeWoken();
                    r = result[0];
                } finally {
                    wakeLock.unlock();
                }
                if (r != null) break;
                if (selected() != null) { // a wake-up from this node, or the poll for changes made elsewhere
                    sync(true);
                    searchUpdates();
                }
                if (session.notifySpec() != null) session.notifications.notifyOthers();
                flush();
            }
            idler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImapSession.Close();
        }
        Object r = result[0];
        if (r instanceof IOException e) throw e;
        if (r instanceof RuntimeException e) throw e;
        String line = (String) r;
        if (!line.equalsIgnoreCase("DONE")) throw bad("Expected DONE");
        return "IDLE terminated";
    }
}

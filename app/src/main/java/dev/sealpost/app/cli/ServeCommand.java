package dev.sealpost.app.cli;

import dev.sealpost.app.LogSetup;
import dev.sealpost.app.Main;
import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.ConfigException;
import dev.sealpost.app.config.SealpostConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * {@code sealpost serve --config FILE}: runs the server in the foreground until SIGTERM/SIGINT;
 * SIGHUP re-reads the configuration and the certificate.
 */
@Command(name = "serve", description = "Run the server from a TOML config file (SIGHUP reloads certificates and logging).",
        mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The TOML config file (see conf/sealpost.toml).")
    Path config;

    @Option(names = "--port-offset", paramLabel = "N", defaultValue = "0",
            description = "Add N to the port of every listener (to try Sealpost beside another mail server).")
    int offset;

    @Option(names = "--allow-root", description = "Run even as root (not recommended: use a dedicated user and"
            + " CAP_NET_BIND_SERVICE, see dist/systemd/sealpost.service).")
    boolean allowRoot;

    @Override
    public Integer call() throws Exception {
        if (isRoot() && !allowRoot) {
            throw new Main.UserError("refusing to run as root: run as a dedicated user (the systemd unit in dist/systemd gives it"
                    + " CAP_NET_BIND_SERVICE for ports below 1024), or give --allow-root");
        }
        SealpostConfig cfg = SealpostConfig.load(config).withPortOffset(offset);
        cfg.checkNamedFiles(); // before the log file is opened or anything is created
        LogSetup.apply(cfg.log());
        SealpostServer server = new SealpostServer(cfg, Clock.systemUTC());
        runUntilStopped(server, null, () -> reload(server));
        return 0;
    }

    /** SIGHUP: the certificate and [log] are applied at once; other changed sections are named as needing a restart. */
    private void reload(SealpostServer server) {
        SealpostConfig fresh;
        try {
            fresh = SealpostConfig.load(config).withPortOffset(offset);
            fresh.checkNamedFiles();
        } catch (ConfigException e) {
            log.error("SIGHUP: the config has an error, nothing reloaded (the running settings stay): {}", e.getMessage());
            return;
        }
        LogSetup.apply(fresh.log());
        List<String> changed = changedSections(server.config(), fresh);
        if (!changed.isEmpty()) {
            log.warn("SIGHUP: changed settings in {} take effect at the next restart (reloaded now: certificate, [log])", changed);
        }
        reloadCertificates(server);
    }

    static void reloadCertificates(SealpostServer server) {
        try {
            log.info("SIGHUP: {}", server.reloadCertificates());
        } catch (ConfigException e) {
            log.error("SIGHUP: certificate not reloaded, the one in use stays: {}", e.getMessage());
        }
    }

    /** The sections (record components) that differ, {@code log} aside. */
    static List<String> changedSections(SealpostConfig a, SealpostConfig b) {
        List<String> out = new ArrayList<>();
        for (var c : SealpostConfig.class.getRecordComponents()) {
            if (c.getName().equals("log")) continue;
            try {
                if (!Objects.equals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) out.add(c.getName());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Whether this process runs with user id 0. */
    static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (RuntimeException | LinkageError e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Starts the server, prints {@code banner} if given, and blocks until the JVM is asked to stop. */
    static void runUntilStopped(SealpostServer server, Runnable banner, Runnable onHangup) throws Exception {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.start();
        } catch (Exception e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            server.close();
            throw e;
        }
        onHangup(onHangup);
        if (banner != null) banner.run();
        stopped.await();
    }

    /** SIGHUP runs {@code action} instead of ending the JVM (as Postfix and Dovecot reload on it). */
    @SuppressWarnings("restriction")
    private static void onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> Thread.ofVirtual().name("sighup").start(action));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("SIGHUP cannot be handled here ({}): reload by restarting", e.getMessage());
        }
    }
}

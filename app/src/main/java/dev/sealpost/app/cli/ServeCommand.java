package dev.sealpost.app.cli;

import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.SealpostConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code sealpost serve --config FILE}: runs the server in the foreground until SIGTERM/SIGINT. */
@Command(name = "serve", description = "Run the server from a TOML config file.", mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The TOML config file (see conf/sealpost.toml).")
    Path config;

    @Override
    public Integer call() throws Exception {
        SealpostConfig cfg = SealpostConfig.load(config);
        runUntilStopped(new SealpostServer(cfg, Clock.systemUTC()), null);
        return 0;
    }

    /** Starts the server, prints {@code banner} if given, and blocks until the JVM is asked to stop. */
    static void runUntilStopped(SealpostServer server, Runnable banner) throws Exception {
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
        if (banner != null) banner.run();
        stopped.await();
    }
}

package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.app.SealpostServer;
import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Which data an admin command works on: the server's config file, or a data directory (the demo's). */
public final class StoreOptions {
    @Option(names = "--config", scope = picocli.CommandLine.ScopeType.INHERIT, paramLabel = "FILE", description = "Server config file (default: $SEALPOST_CONFIG or /etc/sealpost/sealpost.toml).")
    Path config;

    @Option(names = "--data", scope = picocli.CommandLine.ScopeType.INHERIT, paramLabel = "DIR", description = "Data directory with the embedded SQLite store (e.g. ./demo-data).")
    Path data;

    /**
     * The server config these options name: {@code --config FILE}; with {@code --data DIR}, the
     * {@code DIR/sealpost.toml} that the demo and quickstart write, if there is one (else null);
     * with neither, {@code $SEALPOST_CONFIG} or /etc/sealpost/sealpost.toml, which must exist.
     */
    public SealpostConfig config() {
        if (config != null) return SealpostConfig.load(config);
        if (data != null) {
            Path inData = data.resolve("sealpost.toml");
            return Files.isRegularFile(inData) ? SealpostConfig.load(inData) : null;
        }
        String env = System.getenv("SEALPOST_CONFIG");
        Path cfg = Path.of(env != null ? env : "/etc/sealpost/sealpost.toml");
        if (!Files.isRegularFile(cfg)) throw new Main.UserError("no config file " + cfg + " (use --config FILE or --data DIR)");
        return SealpostConfig.load(cfg);
    }

    /** The password policy of the config these options name (the defaults with a bare data directory). */
    public PasswordPolicy passwordPolicy() {
        return PasswordPolicy.of(data != null || config != null ? config() : null);
    }

    /** The data directory: {@code --data}, or the config file's {@code server.data_dir}. */
    public Path dataDirectory() {
        if (data != null) {
            if (!Files.isDirectory(data)) throw new Main.UserError("no data directory " + data);
            return data;
        }
        Path cfg = config;
        if (cfg == null) {
            String env = System.getenv("SEALPOST_CONFIG");
            cfg = Path.of(env != null ? env : "/etc/sealpost/sealpost.toml");
        }
        if (!Files.isRegularFile(cfg)) throw new Main.UserError("no config file " + cfg + " (use --config FILE or --data DIR)");
        return SealpostConfig.load(cfg).server().dataDir();
    }

    /** Whether a data directory was named ({@code --data} or {@code --config}). */
    public boolean named() {
        return data != null || config != null;
    }

    public Store open() {
        if (data != null) {
            if (!Files.isDirectory(data)) throw new Main.UserError("no data directory " + data);
            return Store.open(StoreConfig.sqlite(data));
        }
        Path cfg = config;
        if (cfg == null) {
            String env = System.getenv("SEALPOST_CONFIG");
            cfg = Path.of(env != null ? env : "/etc/sealpost/sealpost.toml");
        }
        if (!Files.isRegularFile(cfg)) throw new Main.UserError("no config file " + cfg + " (use --config FILE or --data DIR)");
        return Store.open(SealpostServer.storeConfig(SealpostConfig.load(cfg), Clock.systemUTC()));
    }
}

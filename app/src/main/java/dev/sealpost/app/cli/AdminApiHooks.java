package dev.sealpost.app.cli;

import dev.sealpost.app.config.SealpostConfig;
import dev.sealpost.store.Store;
import dev.sealpost.web.api.AdminApi;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the admin API borrows from the command line's code, so that both do the same: the
 * {@code dns records} text, the password policy, {@code domain add}'s DKIM keys and
 * {@code --generate-password}'s passwords.
 */
public final class AdminApiHooks implements AdminApi.Hooks {
    private final Store store;
    private final SealpostConfig config;
    private final Clock clock;

    public AdminApiHooks(Store store, SealpostConfig config, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String dnsRecords(String domain) {
        return DnsCommand.zoneText(store, config, domain, clock);
    }

    @Override
    public Optional<String> passwordProblem(char[] password) {
        return PasswordPolicy.of(config).problem(password).map(p -> p.replace(" (use --generate-password)", " (or send \"generate_password\": true)")
                .replace("; or use --generate-password", "; or send \"generate_password\": true"));
    }

    @Override
    public List<String> domainAdded(String domain, boolean dkim) {
        if (!dkim) return List.of();
        return DkimCommand.generateDefaults(store.directory(), domain, clock).stream().map(DkimCommand::zoneLine).toList();
    }

    @Override
    public String generatePassword() {
        return Passwords.generate();
    }
}

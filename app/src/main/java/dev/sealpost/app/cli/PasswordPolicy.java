package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.app.config.SealpostConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a new password must be, wherever one is set (account add, passwd, the demo's
 * --password): at least {@code accounts.password_min_length} characters (default 12) and not one
 * of the 10,000 most common passwords (a bundled list, see {@code SOURCE.md} beside it), compared
 * ignoring case. Generated passwords (20 random characters) always pass.
 */
public final class PasswordPolicy {
    private static volatile Set<String> common;
    private final int minLength;

    public PasswordPolicy(int minLength) {
        this.minLength = minLength;
    }

    public static PasswordPolicy of(SealpostConfig config) {
        return new PasswordPolicy(config == null ? SealpostConfig.Accounts.DEFAULT_PASSWORD_MIN_LENGTH
                : config.accounts().passwordMinLength());
    }

    /** Why {@code password} is refused, or empty when it is acceptable. Never includes the password. */
    public Optional<String> problem(char[] password) {
        int length = (int) new String(password).codePoints().count();
        if (length < minLength) {
            return Optional.of("password too short: " + length + " characters, at least " + minLength
                    + " needed (accounts.password_min_length; or use --generate-password)");
        }
        if (commonPasswords().contains(new String(password).toLowerCase(Locale.ROOT))) {
            return Optional.of("password refused: it is one of the 10,000 most common passwords (use --generate-password)");
        }
        return Optional.empty();
    }

    /** Throws a {@link Main.UserError} when {@code password} is refused. */
    public char[] require(char[] password) {
        problem(password).ifPresent(p -> {
            throw new Main.UserError(p);
        });
        return password;
    }

    static Set<String> commonPasswords() {
        Set<String> c = common;
        if (c != null) return c;
        Set<String> out = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) throw new IllegalStateException("common-passwords.txt missing from the build");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isEmpty()) out.add(line.toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        common = Set.copyOf(out);
        return common;
    }
}

package dev.sealpost.app.cli;

import dev.sealpost.app.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** Reads a new password without putting it on the command line (where `ps` would show it). */
final class Passwords {
    private Passwords() {}

    static char[] read(boolean fromStdin) {
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) throw new Main.UserError("no password on standard input");
                return line.toCharArray();
            } catch (IOException e) {
                throw new Main.UserError("cannot read the password: " + e.getMessage());
            }
        }
        java.io.Console c = System.console();
        if (c == null) throw new Main.UserError("no terminal to ask for the password: use --password-stdin");
        char[] a = c.readPassword("New password: ");
        char[] b = c.readPassword("Again: ");
        if (a == null || a.length == 0 || !java.util.Arrays.equals(a, b)) throw new Main.UserError("passwords empty or different");
        return a;
    }

    /** A random password of 20 characters from an unambiguous alphabet (about 115 bits). */
    static String generate() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return b.toString();
    }
}

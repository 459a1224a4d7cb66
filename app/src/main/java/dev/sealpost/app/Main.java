package dev.sealpost.app;

import dev.sealpost.app.cli.AccountCommand;
import dev.sealpost.app.cli.AliasCommand;
import dev.sealpost.app.cli.CheckCommand;
import dev.sealpost.app.cli.DemoCommand;
import dev.sealpost.app.cli.DkimCommand;
import dev.sealpost.app.cli.DnsCommand;
import dev.sealpost.app.cli.DomainCommand;
import dev.sealpost.app.cli.EvidenceCommand;
import dev.sealpost.app.cli.FilterCommand;
import dev.sealpost.app.cli.KeysCommand;
import dev.sealpost.app.cli.SmimeCommand;
import dev.sealpost.app.cli.QueueCommand;
import dev.sealpost.app.cli.QuotaCommand;
import dev.sealpost.app.cli.QuickstartCommand;
import dev.sealpost.app.cli.ReportsCommand;
import dev.sealpost.app.cli.ServeCommand;
import dev.sealpost.app.cli.SieveCommand;
import dev.sealpost.app.cli.SopCommand;
import dev.sealpost.app.cli.TokenCommand;
import dev.sealpost.app.config.ConfigException;
import dev.sealpost.core.tls.ServerTls;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/sealpost}: the server ({@code serve}, {@code demo}) and the admin commands. */
@Command(name = "sealpost", mixinStandardHelpOptions = true, version = "Sealpost 0.1.0",
        description = "Secure all-in-one mail server.",
        subcommands = {ServeCommand.class, DemoCommand.class, DomainCommand.class, AccountCommand.class,
                AliasCommand.class, QuotaCommand.class, QuickstartCommand.class, CheckCommand.class, DkimCommand.class, DnsCommand.class,
                QueueCommand.class, ReportsCommand.class, SieveCommand.class, SopCommand.class, EvidenceCommand.class,
                FilterCommand.class, dev.sealpost.app.cli.QuarantineCommand.class, KeysCommand.class, SmimeCommand.class,
                TokenCommand.class, dev.sealpost.app.cli.ListCommand.class, dev.sealpost.app.cli.GroupCommand.class})
public final class Main {

    public static void main(String[] args) {
        // first, before any TLS handshake: the JDK reads this once (RFC 9325 §3.5; core.tls.ServerTls)
        ServerTls.rejectClientRenegotiation();
        // admin commands print results, not logs; the server commands log at INFO
        boolean server = args.length > 0 && (args[0].equals("serve") || args[0].equals("demo"));
        if (System.getProperty("sealpost.log.level") == null) {
            System.setProperty("sealpost.log.level", server ? "INFO" : "WARN");
        }
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code (tests call this in-process). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        Integer help = helpFor(cl, args);
        if (help != null) return help;
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigException || ex instanceof UserError
                    || ex instanceof dev.sealpost.store.DirectoryException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    /** The command tree (the commands with {@code --help} handled by {@link #run}). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // sop parses its own arguments (SOP's exit codes for unknown options): picocli passes them through
        cl.getSubcommands().get("sop").setUnmatchedOptionsArePositionalParams(true).setUnmatchedArgumentsAllowed(true);
        return cl;
    }

    /**
     * {@code --help} (or {@code -h}) anywhere before {@code --}: the usage of the deepest command the
     * words before it name, whatever else is missing. Picocli's own help option is declared only on
     * some commands, and the method subcommands (account add, dns records, ...) would otherwise fail
     * with "Missing required parameter" first. Null when there is no such option.
     */
    static Integer helpFor(CommandLine root, String... args) {
        boolean asked = false;
        for (String a : args) {
            if (a.equals("--")) break;
            if (a.equals("--help") || a.equals("-h")) asked = true;
        }
        if (!asked) return null;
        CommandLine cmd = root;
        for (String a : args) {
            CommandLine sub = cmd.getSubcommands().get(a);
            if (sub == null) {
                if (a.startsWith("-")) continue;
                break;
            }
            cmd = sub;
        }
        cmd.usage(cmd.getOut());
        cmd.getOut().flush();
        return 0;
    }

    /** A mistake on the command line or in the data it names: printed without a stack trace. */
    public static final class UserError extends RuntimeException {
        public UserError(String message) {
            super(message);
        }
    }
}

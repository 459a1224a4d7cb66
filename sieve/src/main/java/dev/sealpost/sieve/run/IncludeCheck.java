package dev.sealpost.sieve.run;

import dev.sealpost.sieve.script.Compiled;
import dev.sealpost.sieve.script.Language;
import dev.sealpost.sieve.script.ParseLimits;
import dev.sealpost.sieve.script.SieveCompiler;
import dev.sealpost.sieve.script.SieveError;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Checks the includes of a script before it runs (RFC 6609 §3.2), as Pigeonhole does when it
 * links a script: every literal include that is not :optional must exist and compile, there must
 * be no include loop and no nesting deeper than the bound. Used at upload (ManageSieve
 * CHECKSCRIPT/PUTSCRIPT) and by the test harness; the interpreter checks the same at run time.
 */
public final class IncludeCheck {
    private IncludeCheck() {}

    /** The errors found (empty when the includes are fine); scripts come from {@code env}. */
    public static List<SieveError> check(Compiled.Script script, Environment env, int maxDepth) {
        List<SieveError> errors = new ArrayList<>();
        walk(script.commands(), env, maxDepth, new ArrayDeque<>(), errors);
        return errors;
    }

    private static void walk(List<Compiled.Command> block, Environment env, int maxDepth, Deque<String> stack, List<SieveError> errors) {
        for (Compiled.Command c : block) {
            if (!c.name().equals("include")) {
                walk(c.block(), env, maxDepth, stack, errors);
                continue;
            }
            String name = (String) c.args().getFirst();
            if (name.contains("${")) continue; // known only at run time
            boolean global = c.has("global");
            String key = (global ? "global:" : "personal:") + name;
            if (stack.contains(key)) {
                errors.add(new SieveError(SieveError.Kind.LIMIT_INCLUDE, c.line(), "include loop: \"" + name + "\""));
                continue;
            }
            if (stack.size() >= maxDepth) {
                errors.add(new SieveError(SieveError.Kind.LIMIT_INCLUDE, c.line(), "includes nested more than " + maxDepth + " deep"));
                continue;
            }
            Optional<String> text = env.includeScript(name, global);
            if (text.isEmpty()) {
                if (!c.has("optional")) errors.add(new SieveError(SieveError.Kind.COMPILE, c.line(), "include: script \"" + name + "\" not found"));
                continue;
            }
            SieveCompiler.Result r = SieveCompiler.compile(text.get(), Language.standard(), ParseLimits.defaults());
            if (r instanceof SieveCompiler.Errors e) {
                for (SieveError x : e.errors()) errors.add(new SieveError(SieveError.Kind.COMPILE, c.line(), "in \"" + name + "\": " + x.message()));
                continue;
            }
            stack.push(key);
            walk(((SieveCompiler.Ok) r).script().commands(), env, maxDepth, stack, errors);
            stack.pop();
        }
    }
}

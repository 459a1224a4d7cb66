package dev.sealpost.filter.spoof;

import dev.sealpost.filter.Check;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.Hit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code lookalike_domain}: a sender domain (From, Sender, Reply-To, envelope sender) imitates a
 * protected domain ({@link LookalikeDomains}). Weight 6 for a protected match, 3 for a mixed-script
 * name that imitates nothing we protect.
 */
public final class LookalikeDomainCheck implements Check {
    public static final double WEIGHT = 6.0;
    public static final double MIXED_SCRIPT_WEIGHT = 3.0;

    private final LookalikeDomains lookalikes;

    public LookalikeDomainCheck(LookalikeDomains lookalikes) {
        this.lookalikes = Objects.requireNonNull(lookalikes, "lookalikes");
    }

    @Override
    public String name() {
        return "lookalike_domain";
    }

    @Override
    public List<Hit> run(FilterInput input) {
        List<String> details = new ArrayList<>();
        boolean protectedMatch = false;
        for (String d : SenderDomains.domains(input)) {
            var m = lookalikes.match(d);
            if (m.isEmpty()) continue;
            if (m.get().target() != null) protectedMatch = true;
            if (details.size() < 3) details.add(d + ": " + m.get().reason());
        }
        if (details.isEmpty()) return List.of();
        return List.of(new Hit(name(), protectedMatch ? WEIGHT : MIXED_SCRIPT_WEIGHT, String.join("; ", details)));
    }
}

package dev.sealpost.evidence.log;

import java.util.List;

/**
 * The result of an audit: what was checked and every problem found (empty when the log is
 * intact).
 *
 * @param records     record frames read
 * @param leaves      leaf hashes read
 * @param checkpoints checkpoints compared with the recomputed tree
 * @param problems    one sentence per problem, in file order
 */
public record AuditReport(long records, long leaves, int checkpoints, List<String> problems) {
    public AuditReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}

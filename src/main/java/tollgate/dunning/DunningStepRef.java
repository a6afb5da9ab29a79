package tollgate.dunning;

import tollgate.timeline.JobKind;

/**
 * The reference of a {@code dunning.step} row: the past-due invoice and the step's index in its merged policy. Stored
 * as {@code inv_…#3}, the text rows have always carried, so rows written before this record still run.
 */
public record DunningStepRef(String invoiceId, int step) {
    static final JobKind<DunningStepRef> KIND = JobKind.of(Dunning.STEP_JOB, DunningStepRef::write, DunningStepRef::parse);

    String write() {
        return invoiceId + "#" + step;
    }

    static DunningStepRef parse(String text) {
        int hash = text.lastIndexOf('#');
        if (hash <= 0) throw new IllegalArgumentException("not a dunning step reference: " + text);
        return new DunningStepRef(text.substring(0, hash), Integer.parseInt(text.substring(hash + 1)));
    }
}

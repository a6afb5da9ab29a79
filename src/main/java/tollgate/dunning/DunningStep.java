package tollgate.dunning;

/**
 * One step of a dunning policy: {@code action} {@code afterDays} days after the invoice became past due.
 * {@code template} belongs to {@code notify} only, {@code backupRetentionDays} to {@code schedule_data_deletion} only.
 */
public record DunningStep(int afterDays, DunningAction action, String template, Integer backupRetentionDays) {
    public static DunningStep of(int afterDays, DunningAction action) {
        return new DunningStep(afterDays, action, null, null);
    }

    public static DunningStep notify(int afterDays, String template) {
        return new DunningStep(afterDays, DunningAction.NOTIFY, template, null);
    }
}

package tollgate.dunning;

import tollgate.timeline.JobKind;

/** The reference of an {@code account.purge_backups} row: the account whose deleted data's backups are purged. */
public record BackupPurgeRef(String accountId) {
    static final JobKind<BackupPurgeRef> KIND = JobKind.of(DunningActions.PURGE_JOB, BackupPurgeRef::accountId, BackupPurgeRef::new);
}

package tollgate.api;

import java.time.Instant;
import java.util.List;
import tollgate.dunning.DunningPolicy;
import tollgate.dunning.DunningStep;
import tollgate.dunning.DunningTimeline;
import tollgate.dunning.Entitlements;
import tollgate.dunning.StepRun;

/** Dunning as the API shows it (SPEC §6; openapi fragments {@code dunning_policies} and {@code dunning}). */
final class DunningJson {
    private DunningJson() {}

    /** A policy as the API and its events write it: actions by their API names, built-ins with id = name. */
    public record PolicyJson(String id, String object, String name, List<StepJson> steps, boolean builtIn, Instant createdAt) {
        static PolicyJson of(DunningPolicy p) {
            return new PolicyJson(p.id(), "dunning_policy", p.name(), p.steps().stream().map(StepJson::of).toList(), p.builtIn(),
                    p.createdAt());
        }
    }

    /** One step as written: {@code template} is null but for notify, {@code backup_retention_days} but for schedule_data_deletion. */
    public record StepJson(int afterDays, String action, String template, Integer backupRetentionDays) {
        static StepJson of(DunningStep s) {
            return new StepJson(s.afterDays(), s.action().wire(), s.template(), s.backupRetentionDays());
        }
    }

    /** {@code GET /v1/accounts/{id}/dunning}: the steps that ran and those to come. */
    public record TimelineJson(String object, String account, boolean inDunning, long pastDueAmount, String currency,
                               List<StepRunJson> past, List<UpcomingStepJson> upcoming) {
        static TimelineJson of(DunningTimeline t) {
            return new TimelineJson("dunning", t.account(), t.inDunning(), t.pastDueAmount(), t.currency(),
                    t.past().stream().map(StepRunJson::of).toList(), t.upcoming().stream().map(UpcomingStepJson::of).toList());
        }
    }

    /** A step that ran (also the data of a {@code dunning.step_run} event). */
    public record StepRunJson(String invoice, String policy, int step, int afterDays, String action, String template,
                              Instant dueAt, Instant ranAt, String outcome, List<String> policies) {
        static StepRunJson of(StepRun r) {
            return new StepRunJson(r.invoice(), r.policy(), r.step(), r.afterDays(), r.action(), r.template(), r.dueAt(), r.ranAt(),
                    r.outcome(), r.policies());
        }
    }

    public record UpcomingStepJson(String invoice, String policy, int step, int afterDays, String action, String template,
                                   Integer backupRetentionDays, Instant dueAt, List<String> policies) {
        static UpcomingStepJson of(Entitlements.UpcomingStep u) {
            return new UpcomingStepJson(u.invoice(), u.policy(), u.step(), u.afterDays(), u.action(), u.template(),
                    u.backupRetentionDays(), u.dueAt(), u.policies());
        }
    }

    /** {@code GET /v1/accounts/{id}/entitlements}: what the account may do now. */
    public record EntitlementsJson(String object, String account, boolean canIssueLicenses, String services, long pastDueAmount,
                                   String currency, List<String> pastDueInvoices, UpcomingStepJson nextDunningStep,
                                   DataDeletionJson dataDeletion) {
        static EntitlementsJson of(Entitlements e) {
            return new EntitlementsJson("entitlements", e.account(), e.canIssueLicenses(), e.services(), e.pastDueAmount(),
                    e.currency(), e.pastDueInvoices(), e.nextDunningStep() == null ? null : UpcomingStepJson.of(e.nextDunningStep()),
                    e.dataDeletion() == null ? null : DataDeletionJson.of(e.dataDeletion()));
        }
    }

    public record DataDeletionJson(Instant dataDeletedAt, Instant backupsPurgeAt, String backups) {
        static DataDeletionJson of(Entitlements.DataDeletion d) {
            return new DataDeletionJson(d.dataDeletedAt(), d.backupsPurgeAt(), d.backups());
        }
    }
}

package tollgate.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decision 049's rule for a pause, on hosting_default's dates alone: a pause postpones, never skips — the first step
 * not yet due moves to the pause's day at its own time of day, later ones keep their gaps after it.
 */
class DunningPauseScheduleTest {
    private static final MergedPolicy HOSTING = MergedPolicy.of(BuiltInPolicies.HOSTING);
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Past due on January 1, 2030 at 10:00 in Berlin (09:00 UTC). */
    private static final Instant PAST_DUE = Instant.parse("2030-01-01T09:00:00Z");

    private static List<String> dates(List<DunningSchedule.Dated> schedule) {
        return schedule.stream().map(d -> d.index() + " " + d.dueAt()).toList();
    }

    @Test
    void withoutAPauseTheStepsFallOnDays0_3_8_15() {
        assertThat(dates(DunningSchedule.of(HOSTING, PAST_DUE, BERLIN, List.of()))).containsExactly(
                "0 2030-01-01T09:00:00Z", "1 2030-01-04T09:00:00Z", "2 2030-01-04T09:00:00Z", "3 2030-01-09T09:00:00Z",
                "4 2030-01-09T09:00:00Z", "5 2030-01-09T09:00:00Z", "6 2030-01-16T09:00:00Z", "7 2030-01-16T09:00:00Z",
                "8 2030-01-16T09:00:00Z");
    }

    @Test
    void aPauseOnJanuary2UntilJanuary10MovesTheDay3StepsToJanuary10AndEveryLaterStepSixDays() {
        DunningPause pause = new DunningPause(Instant.parse("2030-01-02T12:00:00Z"), LocalDate.parse("2030-01-10"), null);
        assertThat(dates(DunningSchedule.of(HOSTING, PAST_DUE, BERLIN, List.of(pause)))).containsExactly(
                "0 2030-01-01T09:00:00Z", "1 2030-01-10T09:00:00Z", "2 2030-01-10T09:00:00Z", "3 2030-01-15T09:00:00Z",
                "4 2030-01-15T09:00:00Z", "5 2030-01-15T09:00:00Z", "6 2030-01-22T09:00:00Z", "7 2030-01-22T09:00:00Z",
                "8 2030-01-22T09:00:00Z");
    }

    @Test
    void aPauseEndingBeforeTheNextStepChangesNothing() {
        DunningPause pause = new DunningPause(Instant.parse("2030-01-02T12:00:00Z"), LocalDate.parse("2030-01-04"), null);
        assertThat(DunningSchedule.of(HOSTING, PAST_DUE, BERLIN, List.of(pause))).isEqualTo(DunningSchedule.of(HOSTING, PAST_DUE, BERLIN));
    }

    @Test
    void anExtendedPauseMovesTheStepsAgainFromWhereTheFirstPauseLeftThem() {
        DunningPause first = new DunningPause(Instant.parse("2030-01-02T12:00:00Z"), LocalDate.parse("2030-01-10"), null);
        DunningPause longer = new DunningPause(Instant.parse("2030-01-05T12:00:00Z"), LocalDate.parse("2030-01-12"), null);
        assertThat(dates(DunningSchedule.of(HOSTING, PAST_DUE, BERLIN, List.of(first, longer))).subList(1, 4)).containsExactly(
                "1 2030-01-12T09:00:00Z", "2 2030-01-12T09:00:00Z", "3 2030-01-17T09:00:00Z");
    }

    @Test
    void anInvoicePastDueDuringThePauseStartsOnItsDayAndOneAfterItWasLiftedIsNotHeld() {
        DunningPause pause = new DunningPause(Instant.parse("2029-12-30T12:00:00Z"), LocalDate.parse("2030-01-03"), null);
        assertThat(dates(DunningSchedule.of(HOSTING, PAST_DUE, BERLIN, List.of(pause))).subList(0, 2)).containsExactly(
                "0 2030-01-03T09:00:00Z", "1 2030-01-06T09:00:00Z");
        DunningPause lifted = new DunningPause(pause.pausedAt(), pause.resumeOn(), Instant.parse("2029-12-31T08:00:00Z"));
        assertThat(DunningSchedule.of(HOSTING, PAST_DUE, BERLIN, List.of(lifted))).isEqualTo(DunningSchedule.of(HOSTING, PAST_DUE, BERLIN));
    }

    @Test
    void daysAreCalendarDaysInTheAccountsZoneAcrossSummerTime() {
        // Past due on March 20, 2030 at 10:00 Berlin (09:00 UTC, winter time); paused until April 2 (summer time).
        Instant pastDue = Instant.parse("2030-03-20T09:00:00Z");
        DunningPause pause = new DunningPause(Instant.parse("2030-03-21T09:00:00Z"), LocalDate.parse("2030-04-02"), null);
        assertThat(dates(DunningSchedule.of(HOSTING, pastDue, BERLIN, List.of(pause))).subList(1, 4)).containsExactly(
                "1 2030-04-02T08:00:00Z", "2 2030-04-02T08:00:00Z", "3 2030-04-07T08:00:00Z");
    }
}

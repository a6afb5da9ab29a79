package tollgate.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §2 "Anniversary": the signup's day of month, clamped, at the signup's local time in the account's zone. */
class AnniversaryTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static Instant berlin(String local) {
        return LocalDateTime.parse(local).atZone(BERLIN).toInstant();
    }

    private static List<String> localDates(Instant anchor, ZoneId zone, int count) {
        List<String> dates = new ArrayList<>();
        for (int m = 1; m <= count; m++) dates.add(Anniversary.monthsAfter(anchor, zone, m).atZone(zone).toLocalDateTime().toString());
        return dates;
    }

    @Test
    void signupJan31InALeapYearBillsFeb29Mar31Apr30AtTenInBerlin() {
        Instant signup = berlin("2028-01-31T10:00");
        assertThat(signup).isEqualTo(Instant.parse("2028-01-31T09:00:00Z"));
        assertThat(localDates(signup, BERLIN, 13)).containsExactly(
                "2028-02-29T10:00", "2028-03-31T10:00", "2028-04-30T10:00", "2028-05-31T10:00", "2028-06-30T10:00",
                "2028-07-31T10:00", "2028-08-31T10:00", "2028-09-30T10:00", "2028-10-31T10:00", "2028-11-30T10:00",
                "2028-12-31T10:00", "2029-01-31T10:00", "2029-02-28T10:00");
        // 10:00 local is 09:00 UTC in winter and 08:00 UTC in summer time (from 2028-03-26).
        assertThat(Anniversary.monthsAfter(signup, BERLIN, 1)).isEqualTo(Instant.parse("2028-02-29T09:00:00Z"));
        assertThat(Anniversary.monthsAfter(signup, BERLIN, 2)).isEqualTo(Instant.parse("2028-03-31T08:00:00Z"));
        assertThat(Anniversary.monthsAfter(signup, BERLIN, 3)).isEqualTo(Instant.parse("2028-04-30T08:00:00Z"));
    }

    @Test
    void signupJan31InACommonYearBillsFeb28ThenMar31NotMar28() {
        Instant signup = berlin("2027-01-31T10:00");
        assertThat(localDates(signup, BERLIN, 4)).containsExactly(
                "2027-02-28T10:00", "2027-03-31T10:00", "2027-04-30T10:00", "2027-05-31T10:00");
    }

    @Test
    void theLocalTimeIsTheAccountsNotUtcs() {
        // 23:30 on Jan 31 in Berlin is still Jan 31 there, though 22:30 UTC.
        Instant signup = berlin("2030-01-31T23:30");
        assertThat(Anniversary.monthsAfter(signup, BERLIN, 1)).isEqualTo(Instant.parse("2030-02-28T22:30:00Z"));
        assertThat(Anniversary.monthsAfter(signup, UTC, 1)).isEqualTo(Instant.parse("2030-02-28T22:30:00Z"));
        Instant utcMarch = Anniversary.monthsAfter(signup, UTC, 2);
        assertThat(utcMarch).isEqualTo(Instant.parse("2030-03-31T22:30:00Z"));
        assertThat(Anniversary.monthsAfter(signup, BERLIN, 2)).isEqualTo(Instant.parse("2030-03-31T21:30:00Z"));
    }

    @Test
    void yearlyPlansAddTwelveMonthsSoFeb29GivesFeb28AndFeb29AgainInALeapYear() {
        Instant signup = Instant.parse("2028-02-29T12:00:00Z");
        assertThat(Anniversary.monthsAfter(signup, UTC, 12)).isEqualTo(Instant.parse("2029-02-28T12:00:00Z"));
        assertThat(Anniversary.monthsAfter(signup, UTC, 24)).isEqualTo(Instant.parse("2030-02-28T12:00:00Z"));
        assertThat(Anniversary.monthsAfter(signup, UTC, 48)).isEqualTo(Instant.parse("2032-02-29T12:00:00Z"));
        assertThat(Anniversary.monthsPerPeriod(tollgate.catalog.BillingInterval.YEAR)).isEqualTo(12);
    }

    @Test
    void aTimeSkippedBySpringForwardMovesOnByTheGap() {
        // 2028-03-26 02:30 does not exist in Berlin (02:00 → 03:00): the date is 03:30 summer time.
        Instant signup = berlin("2028-02-26T02:30");
        assertThat(Anniversary.monthsAfter(signup, BERLIN, 1)).isEqualTo(Instant.parse("2028-03-26T01:30:00Z"));
        assertThat(Anniversary.monthsAfter(signup, BERLIN, 2)).isEqualTo(berlin("2028-04-26T02:30"));
    }

    @Test
    void monthsElapsedAndTheFirstDateAfterAnInstant() {
        Instant anchor = berlin("2028-01-31T10:00");
        assertThat(Anniversary.monthsElapsed(anchor, BERLIN, anchor.minusSeconds(1))).isEqualTo(-1);
        assertThat(Anniversary.monthsElapsed(anchor, BERLIN, anchor)).isZero();
        assertThat(Anniversary.monthsElapsed(anchor, BERLIN, berlin("2028-02-29T09:59"))).isZero();
        assertThat(Anniversary.monthsElapsed(anchor, BERLIN, berlin("2028-02-29T10:00"))).isEqualTo(1);
        assertThat(Anniversary.monthsElapsed(anchor, BERLIN, berlin("2028-03-15T00:00"))).isEqualTo(1);
        assertThat(Anniversary.monthsElapsed(anchor, BERLIN, berlin("2029-03-01T00:00"))).isEqualTo(13);
        assertThat(Anniversary.firstAfter(anchor, BERLIN, berlin("2028-03-15T00:00"))).isEqualTo(berlin("2028-03-31T10:00"));
        assertThat(Anniversary.firstAfter(anchor, BERLIN, berlin("2028-02-29T10:00"))).isEqualTo(berlin("2028-03-31T10:00"));
        assertThat(Anniversary.firstAfter(anchor, BERLIN, anchor.minusSeconds(60))).isEqualTo(anchor);
    }

    @Test
    void aFourteenDayTrialEndsAtTheSameLocalTimeAcrossTheClockChange() {
        // 2030-03-20 10:00 CET + 14 calendar days = 2030-04-03 10:00 CEST (summer time from 2030-03-31).
        Instant end = Anniversary.daysAfter(berlin("2030-03-20T10:00"), BERLIN, 14);
        assertThat(end).isEqualTo(Instant.parse("2030-04-03T08:00:00Z"));
    }
}

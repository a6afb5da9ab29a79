package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import tollgate.licensing.LicenseCharges;

/** SPEC "Active day" and the license line amount, with exact dates and cents. */
class ProrationTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final YearMonth MARCH_2026 = YearMonth.of(2026, 3);

    private static int days(String issued, String revoked, ZoneId zone) {
        return Proration.activeDays(Instant.parse(issued), revoked == null ? null : Instant.parse(revoked), MARCH_2026, zone);
    }

    @Test
    void aLicenseIssuedOnTheTenthAndStillLiveIsActiveTwentyTwoDaysOfMarch() {
        assertThat(days("2026-03-10T15:00:00Z", null, UTC)).isEqualTo(22);
        // 900 × 22 / 31 = 638.71 → 639
        assertThat(Proration.share(900, 22, 31)).isEqualTo(639);
    }

    @Test
    void theDayOfIssueAndTheDayOfRevocationBothCount() {
        assertThat(days("2026-03-10T15:00:00Z", "2026-03-20T09:00:00Z", UTC)).isEqualTo(11);
        assertThat(days("2026-03-10T15:00:00Z", "2026-03-10T16:00:00Z", UTC)).isEqualTo(1);
    }

    @Test
    void aRevocationAtMidnightEndsTheDayBefore() {
        assertThat(days("2026-03-10T15:00:00Z", "2026-03-20T00:00:00Z", UTC)).isEqualTo(10);
        assertThat(days("2026-03-10T15:00:00Z", "2026-03-20T00:00:00.001Z", UTC)).isEqualTo(11);
    }

    @Test
    void aWholeMonthIsEveryDayAndAnotherMonthsLicenseIsNone() {
        assertThat(days("2026-01-05T00:00:00Z", null, UTC)).isEqualTo(31);
        assertThat(days("2026-01-05T00:00:00Z", "2026-02-20T00:00:00Z", UTC)).isZero();
        assertThat(days("2026-04-01T00:00:00Z", null, UTC)).isZero();
        assertThat(days("2026-02-10T00:00:00Z", "2026-03-03T12:00:00Z", UTC)).isEqualTo(3);
    }

    @Test
    void daysAreCountedInTheAccountsTimeZone() {
        // 23:30 UTC on 31 March is 19:30 in New York (still March) and 01:30 on 1 April in Berlin.
        assertThat(days("2026-03-31T23:30:00Z", null, ZoneId.of("America/New_York"))).isEqualTo(1);
        assertThat(days("2026-03-31T23:30:00Z", null, ZoneId.of("Europe/Berlin"))).isZero();
        // Revoked at 02:00 UTC on 15 March: 22:00 on the 14th in New York, 03:00 on the 15th in Berlin.
        assertThat(days("2026-03-01T12:00:00Z", "2026-03-15T02:00:00Z", ZoneId.of("America/New_York"))).isEqualTo(14);
        assertThat(days("2026-03-01T12:00:00Z", "2026-03-15T02:00:00Z", ZoneId.of("Europe/Berlin"))).isEqualTo(15);
    }

    @Test
    void sharesRoundHalfEvenOnce() {
        assertThat(Proration.share(45, 1, 30)).isEqualTo(2);   // 1.5 → 2
        assertThat(Proration.share(75, 1, 30)).isEqualTo(2);   // 2.5 → 2
        assertThat(Proration.share(15, 1, 30)).isZero();       // 0.5 → 0
        assertThat(Proration.share(105, 1, 30)).isEqualTo(4);  // 3.5 → 4
        assertThat(Proration.share(900, 31, 31)).isEqualTo(900);
        assertThat(Proration.share(1999, 14, 28)).isEqualTo(1000); // 999.5 → 1000
    }

    @Test
    void theNextFirstIsMidnightInTheAccountsZone() {
        assertThat(LicenseCharges.nextFirstOfMonth(Instant.parse("2026-03-10T15:00:00Z"), UTC))
                .isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(LicenseCharges.nextFirstOfMonth(Instant.parse("2026-03-10T15:00:00Z"), ZoneId.of("Europe/Berlin")))
                .isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
        assertThat(LicenseCharges.nextFirstOfMonth(Instant.parse("2026-12-31T23:30:00Z"), ZoneId.of("America/Los_Angeles")))
                .isEqualTo(Instant.parse("2027-01-01T08:00:00Z"));
    }
}

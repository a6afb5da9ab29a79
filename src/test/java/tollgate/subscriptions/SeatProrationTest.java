package tollgate.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** SPEC §2 seat changes: extra seats × seat_amount × remaining days / days in the period, rounded half-even once. */
class SeatProrationTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void threeExtraSeatsAt800For15Of31DaysCost1161() {
        Instant start = Instant.parse("2030-01-04T09:00:00Z");
        Instant end = Instant.parse("2030-02-04T09:00:00Z");
        Instant change = Instant.parse("2030-01-20T15:00:00Z");
        assertThat(SeatProration.calendarDays(start, end, UTC)).isEqualTo(31);
        // Jan 20 counts whole, Feb 4 not: Jan 20..Feb 3.
        assertThat(SeatProration.calendarDays(change, end, UTC)).isEqualTo(15);
        assertThat(SeatProration.amount(3, 800, 15, 31)).isEqualTo(1161); // 1161.29
    }

    @Test
    void roundingIsHalfEvenOnce() {
        assertThat(SeatProration.amount(1, 1001, 15, 30)).isEqualTo(500); // 500.5
        assertThat(SeatProration.amount(1, 1003, 15, 30)).isEqualTo(502); // 501.5
        assertThat(SeatProration.amount(2, 800, 327, 365)).isEqualTo(1433); // 1433.42
    }

    @Test
    void daysAreCalendarDaysInTheAccountsZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 23:30 UTC on Jan 19 is already Jan 20 in Berlin: one day fewer remains there.
        Instant change = Instant.parse("2030-01-19T23:30:00Z");
        Instant end = Instant.parse("2030-02-04T09:00:00Z");
        assertThat(SeatProration.calendarDays(change, end, UTC)).isEqualTo(16);
        assertThat(SeatProration.calendarDays(change, end, berlin)).isEqualTo(15);
    }
}

package tollgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Failed sign-ins counted per user and per address in a sliding window of 15 minutes. */
class LoginThrottleTest {
    private Instant now = Instant.parse("2026-06-15T12:00:00Z");
    private final LoginThrottle throttle = new LoginThrottle(5, 20, Duration.ofMinutes(15), new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    });

    @Test
    void theSixthAttemptOnOneUserWaitsUntilTheFirstFailureIsFifteenMinutesOld() {
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.wait("portal:t1", "ada@x.example", "10.0.0." + i)).isZero();
            throttle.failed("portal:t1", "ada@x.example", "10.0.0." + i);
            now = now.plusSeconds(60);
        }
        assertThat(throttle.wait("portal:t1", "ada@x.example", "10.0.0.99")).isEqualTo(Duration.ofMinutes(10));
        assertThat(throttle.wait("portal:t1", "bob@x.example", "10.0.0.99")).isZero();
        assertThat(throttle.wait("portal:t2", "ada@x.example", "10.0.0.99")).isZero();
        now = now.plus(Duration.ofMinutes(10));
        assertThat(throttle.wait("portal:t1", "ada@x.example", "10.0.0.99")).isZero();
    }

    @Test
    void oneAddressGuessingManyUsersIsStoppedAfterTwentyAndASuccessDoesNotUnlockIt() {
        for (int i = 0; i < 20; i++) throttle.failed("portal:t1", "user" + i + "@x.example", "10.9.9.9");
        throttle.succeeded("portal:t1", "user0@x.example");
        assertThat(throttle.wait("portal:t1", "someone@x.example", "10.9.9.9")).isEqualTo(Duration.ofMinutes(15));
        assertThat(throttle.wait("portal:t1", "someone@x.example", "10.1.1.1")).isZero();
    }
}

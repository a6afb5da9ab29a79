package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import tollgate.core.Problem;

/** Decision 061: at most so many requests at their work; one that waits too long for its turn is 503 overloaded. */
class AdmissionTest {
    @Test
    void aRequestBeyondThePermitsWaitsThenIsRefusedOverloadedAndGetsInOnceOneIsGivenBack() {
        Admission admission = new Admission(2, Duration.ofMillis(200));
        Admission.Permit first = admission.enter();
        Admission.Permit second = admission.enter();
        assertThat(admission.available()).isZero();

        long start = System.nanoTime();
        assertThatThrownBy(admission::enter).isInstanceOfSatisfying(Problem.class, p -> {
            assertThat(p.status()).isEqualTo(503);
            assertThat(p.code()).isEqualTo("overloaded");
            assertThat(p.retryAfterSeconds()).isEqualTo(1);
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("it waited for a turn first").isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(admission.available()).as("a refused request holds nothing").isZero();

        first.close();
        try (Admission.Permit third = admission.enter()) {
            assertThat(admission.available()).isZero();
        }
        second.close();
        assertThat(admission.available()).isEqualTo(2);
    }

    @Test
    void atLeastOneRequestIsAdmitted() {
        assertThatThrownBy(() -> new Admission(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}

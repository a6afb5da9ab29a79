package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tollgate.notify.Mailings;

/**
 * Decision 029: the kinds and reference texts of the payments' and mail reminders' rows are what they were before
 * references were typed (rows already in a database keep running): a bare id each.
 */
class JobRefsTest {
    @Test
    void paymentRowsCarryTheInvoiceId() {
        assertThat(Payments.CHARGE.name()).isEqualTo("invoice.charge");
        assertThat(Payments.RESOLVE.name()).isEqualTo("payment.resolve");
        assertThat(Payments.OVERDUE.name()).isEqualTo("invoice.overdue");
        assertThat(Payments.CHARGE.write(new InvoiceRef("inv_1"))).isEqualTo("inv_1");
        assertThat(Payments.RESOLVE.read("inv_2")).isEqualTo(new InvoiceRef("inv_2"));
    }

    @Test
    void refundRowsCarryTheRefundId() {
        assertThat(Refunds.RESOLVE.name()).isEqualTo("refund.resolve");
        assertThat(Refunds.RESOLVE.write(new RefundRef("re_1"))).isEqualTo("re_1");
        assertThat(Refunds.RESOLVE.read("re_1")).isEqualTo(new RefundRef("re_1"));
    }

    @Test
    void reminderRowsCarryTheCardOrTheSubscription() {
        assertThat(Mailings.CARD.name()).isEqualTo("notify.card_expiring");
        assertThat(Mailings.CARD.read("pm_1")).isEqualTo(new Mailings.CardRef("pm_1"));
        assertThat(Mailings.TRIAL.name()).isEqualTo("notify.trial_ending");
        assertThat(Mailings.TRIAL.write(new Mailings.TrialRef("sub_1"))).isEqualTo("sub_1");
    }
}

package tollgate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tollgate.accounts.Account;
import tollgate.events.Event;
import tollgate.invoicing.CreditNote;
import tollgate.invoicing.Refund;
import tollgate.parties.Company;
import tollgate.payments.DetachedPaymentMethod;
import tollgate.payments.PaymentMethod;

/**
 * The exact JSON of resources whose shape moved from the domain record to a view in api/ (decision 031): these
 * strings were written by the domain records before the move, so the views must write them byte for byte.
 */
class ApiShapesTest {
    private static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");

    @Test
    void account() {
        Account a = new Account("acct_1", "Acme", "ops@acme.test", "usd", "Europe/Paris", new Company("Acme SA", null, "FR1", null), AT)
                .with("Acme", "ops@acme.test", "Europe/Paris", new Company("Acme SA", null, "FR1", null), Map.of("k", "v"))
                .withZones("Europe/Paris", "UTC");
        assertEquals("{\"id\":\"acct_1\",\"object\":\"account\",\"name\":\"Acme\",\"email\":\"ops@acme.test\",\"currency\":\"usd\",\"timezone\":\"Europe/Paris\",\"pending_timezone\":\"UTC\",\"company\":{\"legal_name\":\"Acme SA\",\"address\":null,\"tax_id\":\"FR1\",\"billing_email\":null},\"metadata\":{\"k\":\"v\"},\"created_at\":\"2026-03-01T10:15:30Z\",\"balance\":0}", ApiJson.write(a));
    }

    @Test
    void paymentMethods() {
        PaymentMethod pm = new PaymentMethod("pm_1", "acct_1", "visa", "4242", 12, 2030, true, AT);
        assertEquals("{\"id\":\"pm_1\",\"object\":\"payment_method\",\"account\":\"acct_1\",\"brand\":\"visa\",\"last4\":\"4242\",\"exp_month\":12,\"exp_year\":2030,\"primary\":true,\"created_at\":\"2026-03-01T10:15:30Z\"}", ApiJson.write(pm));
        assertEquals("{\"id\":\"pm_1\",\"object\":\"payment_method\",\"deleted\":true,\"promoted\":null}", ApiJson.write(new DetachedPaymentMethod("pm_1", null)));
        assertEquals("{\"id\":\"pm_1\",\"object\":\"payment_method\",\"deleted\":true,\"promoted\":\"pm_2\"}", ApiJson.write(new DetachedPaymentMethod("pm_1", "pm_2")));
    }

    @Test
    void creditNote() {
        CreditNote cn = new CreditNote("cn_1", "in_1", "acct_1", "CN-1", "usd", 500,
                List.of(new CreditNote.Line("il_1", "Seats", 500)), "duplicate", AT, CreditNote.PRE_PAYMENT, CreditNote.ISSUED,
                null, null, null);
        assertEquals("{\"id\":\"cn_1\",\"object\":\"credit_note\",\"invoice\":\"in_1\",\"account\":\"acct_1\",\"number\":\"CN-1\",\"currency\":\"usd\",\"amount\":500,\"lines\":[{\"line\":\"il_1\",\"description\":\"Seats\",\"amount\":500}],\"reason\":\"duplicate\",\"created_at\":\"2026-03-01T10:15:30Z\",\"type\":\"pre_payment\",\"status\":\"issued\",\"refund_to\":null,\"refund\":null,\"balance_transaction\":null}", ApiJson.write(cn));
        Refund r = new Refund("re_1", "acct_1", "in_1", "cn_1", "py_1", 500, "usd", Refund.PENDING, null, "stripe", "ch_1", null,
                "idem", AT);
        assertEquals("{\"id\":\"cn_1\",\"object\":\"credit_note\",\"invoice\":\"in_1\",\"account\":\"acct_1\",\"number\":\"CN-1\",\"currency\":\"usd\",\"amount\":500,\"lines\":[{\"line\":\"il_1\",\"description\":\"Seats\",\"amount\":500}],\"reason\":\"duplicate\",\"created_at\":\"2026-03-01T10:15:30Z\",\"type\":\"post_payment\",\"status\":\"issued\",\"refund_to\":\"payment\",\"refund\":{\"id\":\"re_1\",\"object\":\"refund\",\"account\":\"acct_1\",\"invoice\":\"in_1\",\"credit_note\":\"cn_1\",\"payment\":\"py_1\",\"amount\":500,\"currency\":\"usd\",\"status\":\"pending\",\"failure_reason\":null,\"gateway\":\"stripe\",\"gateway_charge\":\"ch_1\",\"gateway_refund\":null,\"created_at\":\"2026-03-01T10:15:30Z\"},\"balance_transaction\":null}", ApiJson.write(cn.afterPayment("payment").withRefund(r)));
    }

    @Test
    void event() {
        Event e = new Event("evt_1", "account.created", "acct_1", AT, ApiJson.tree(Map.of("k", 1)));
        assertEquals("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"account.created\",\"account\":\"acct_1\","
                + "\"created_at\":\"2026-03-01T10:15:30Z\",\"data\":{\"k\":1}}", ApiJson.write(e));
    }
}

package tollgate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tollgate.accounts.Account;
import tollgate.balances.BalanceTransaction;
import tollgate.core.Page;
import tollgate.dunning.DunningAction;
import tollgate.dunning.DunningPolicy;
import tollgate.dunning.DunningStep;
import tollgate.dunning.DunningTimeline;
import tollgate.dunning.Entitlements;
import tollgate.dunning.StepRun;
import tollgate.events.Event;
import tollgate.invoicing.CreditNote;
import tollgate.invoicing.InvoiceItem;
import tollgate.invoicing.Refund;
import tollgate.licensing.Licensing;
import tollgate.licensing.SigningKeys;
import tollgate.licensing.SiteCheck;
import tollgate.notify.Notification;
import tollgate.parties.Address;
import tollgate.parties.Company;
import tollgate.payments.DetachedPaymentMethod;
import tollgate.payments.Payment;
import tollgate.payments.PaymentAttempt;
import tollgate.payments.PaymentMethod;
import tollgate.tenants.EmailBranding;
import tollgate.usage.UsageBatch;
import tollgate.usage.UsageEvent;
import tollgate.webhooks.Delivery;

/**
 * The exact JSON of resources whose shape moved from the domain record to a view in api/ (decision 031): these
 * strings were written by the domain records before the move, so the views must write them byte for byte (the
 * strings of the second move — lists, payments, items, deliveries, balances, dunning, notifications, usage,
 * certificates, keys, verdicts — were printed by the code before it, with the same values).
 */
class ApiShapesTest {
    private static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");
    private static final Instant LATER = Instant.parse("2026-03-04T00:00:00Z");

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

    @Test
    void listEnvelope() {
        assertEquals("{\"object\":\"list\",\"data\":[{\"object\":\"usage_event_batch\",\"accepted\":1,\"duplicates\":0}],\"has_more\":true}", ApiJson.write(Page.of(List.of(new UsageBatch(1, 0), new UsageBatch(2, 0)), 1)));
        assertEquals("{\"object\":\"list\",\"data\":[],\"has_more\":false}", ApiJson.write(Page.of(List.of(), 10)));
    }

    @Test
    void paymentsAndAttempts() {
        assertEquals("{\"id\":\"py_1\",\"object\":\"payment\",\"invoice\":\"in_1\",\"account\":\"acct_1\",\"amount\":500,\"currency\":\"usd\",\"method\":\"card\",\"reference\":null,\"payment_attempt\":\"pa_1\",\"created_at\":\"2026-03-01T10:15:30Z\"}", ApiJson.write(new Payment("py_1", "in_1", "acct_1", 500, "usd", "card", null, "pa_1", AT)));
        PaymentAttempt a = new PaymentAttempt("pa_1", "in_1", "acct_1", 2, 1, "pm_1", "stripe", 500, "usd", PaymentAttempt.Status.DECLINED,
                "insufficient_funds", "ch_1", PaymentAttempt.Reason.RETRY, AT, LATER, "tollgate_pa_1");
        assertEquals("{\"id\":\"pa_1\",\"object\":\"payment_attempt\",\"invoice\":\"in_1\",\"account\":\"acct_1\",\"attempt\":2,\"position\":1,\"payment_method\":\"pm_1\",\"gateway\":\"stripe\",\"amount\":500,\"currency\":\"usd\",\"status\":\"declined\",\"decline_reason\":\"insufficient_funds\",\"gateway_id\":\"ch_1\",\"reason\":\"retry\",\"created_at\":\"2026-03-01T10:15:30Z\",\"resolved_at\":\"2026-03-04T00:00:00Z\"}", ApiJson.write(a));
    }

    @Test
    void invoiceItemAndDeletions() {
        InvoiceItem item = new InvoiceItem("ii_1", "acct_1", "usd", 700, "Setup", Map.of("k", "v"), InvoiceItem.PENDING, null, AT);
        assertEquals("{\"id\":\"ii_1\",\"object\":\"invoice_item\",\"account\":\"acct_1\",\"currency\":\"usd\",\"amount\":700,\"description\":\"Setup\",\"metadata\":{\"k\":\"v\"},\"status\":\"pending\",\"invoice\":null,\"created_at\":\"2026-03-01T10:15:30Z\"}", ApiJson.write(item));
        assertEquals("{\"id\":\"ii_1\",\"object\":\"invoice_item\",\"deleted\":true}", ApiJson.write(DeletedJson.of("invoice_item", "ii_1")));
        assertEquals("{\"id\":\"in_1\",\"object\":\"invoice\",\"deleted\":true}", ApiJson.write(DeletedJson.of("invoice", "in_1")));
        assertEquals("{\"id\":\"key_1\",\"object\":\"api_key\",\"deleted\":true}", ApiJson.write(DeletedJson.of("api_key", "key_1")));
        // Was a Map.of, whose key order is not fixed; the record writes Stripe's order.
        assertEquals("{\"id\":\"we_1\",\"object\":\"webhook_endpoint\",\"deleted\":true}", ApiJson.write(DeletedJson.of("webhook_endpoint", "we_1")));
    }

    @Test
    void webhookDeliveryAndBalanceTransaction() {
        Delivery d = new Delivery("whdel_7", "we_1", "evt_1", "pending", 1, LATER, AT, 500, 31, "oops", null, AT, null);
        assertEquals("{\"id\":\"whdel_7\",\"object\":\"webhook_delivery\",\"endpoint\":\"we_1\",\"event\":\"evt_1\",\"status\":\"pending\",\"attempts\":1,\"next_attempt_at\":\"2026-03-04T00:00:00Z\",\"last_attempt_at\":\"2026-03-01T10:15:30Z\",\"response_status\":500,\"latency_ms\":31,\"response_body\":\"oops\",\"error\":null,\"created_at\":\"2026-03-01T10:15:30Z\",\"delivered_at\":null}", ApiJson.write(d));
        BalanceTransaction t = new BalanceTransaction("cbtxn_1", "acct_1", BalanceTransaction.CREDIT_NOTE, -500, "usd", -500, "cn_1", null,
                "Credit", AT);
        assertEquals("{\"id\":\"cbtxn_1\",\"object\":\"balance_transaction\",\"account\":\"acct_1\",\"type\":\"credit_note\",\"amount\":-500,\"currency\":\"usd\",\"ending_balance\":-500,\"credit_note\":\"cn_1\",\"invoice\":null,\"description\":\"Credit\",\"created_at\":\"2026-03-01T10:15:30Z\"}", ApiJson.write(t));
    }

    @Test
    void dunning() {
        DunningPolicy policy = new DunningPolicy("dp_1", "gentle", List.of(DunningStep.notify(3, "reminder"),
                new DunningStep(30, DunningAction.SCHEDULE_DATA_DELETION, null, 14)), false, AT);
        assertEquals("{\"id\":\"dp_1\",\"object\":\"dunning_policy\",\"name\":\"gentle\",\"steps\":[{\"after_days\":3,\"action\":\"notify\",\"template\":\"reminder\",\"backup_retention_days\":null},{\"after_days\":30,\"action\":\"schedule_data_deletion\",\"template\":null,\"backup_retention_days\":14}],\"built_in\":false,\"created_at\":\"2026-03-01T10:15:30Z\"}", ApiJson.write(policy));
        Entitlements.UpcomingStep up = new Entitlements.UpcomingStep("in_1", "licenses_default", 2, 14, "block_licenses", null, null, LATER,
                List.of("licenses_default", "dp_1"));
        DunningTimeline timeline = new DunningTimeline("acct_1", true, 500, "usd",
                List.of(new StepRun("in_1", "licenses_default", 1, 3, "notify", "reminder", AT, LATER, "sent")), List.of(up));
        assertEquals("{\"object\":\"dunning\",\"account\":\"acct_1\",\"in_dunning\":true,\"past_due_amount\":500,\"currency\":\"usd\",\"past\":[{\"invoice\":\"in_1\",\"policy\":\"licenses_default\",\"step\":1,\"after_days\":3,\"action\":\"notify\",\"template\":\"reminder\",\"due_at\":\"2026-03-01T10:15:30Z\",\"ran_at\":\"2026-03-04T00:00:00Z\",\"outcome\":\"sent\",\"policies\":[\"licenses_default\"]}],\"upcoming\":[{\"invoice\":\"in_1\",\"policy\":\"licenses_default\",\"step\":2,\"after_days\":14,\"action\":\"block_licenses\",\"template\":null,\"backup_retention_days\":null,\"due_at\":\"2026-03-04T00:00:00Z\",\"policies\":[\"licenses_default\",\"dp_1\"]}]}", ApiJson.write(timeline));
        assertEquals("{\"object\":\"entitlements\",\"account\":\"acct_1\",\"can_issue_licenses\":false,\"services\":\"active\",\"past_due_amount\":500,\"currency\":\"usd\",\"past_due_invoices\":[\"in_1\"],\"next_dunning_step\":{\"invoice\":\"in_1\",\"policy\":\"licenses_default\",\"step\":2,\"after_days\":14,\"action\":\"block_licenses\",\"template\":null,\"backup_retention_days\":null,\"due_at\":\"2026-03-04T00:00:00Z\",\"policies\":[\"licenses_default\",\"dp_1\"]},\"data_deletion\":{\"data_deleted_at\":\"2026-03-01T10:15:30Z\",\"backups_purge_at\":\"2026-03-04T00:00:00Z\",\"backups\":\"restorable\"}}", ApiJson.write(new Entitlements("acct_1", false, "active", 500, "usd", List.of("in_1"), up,
                new Entitlements.DataDeletion(AT, LATER, "restorable"))));
        assertEquals("{\"object\":\"entitlements\",\"account\":\"acct_1\",\"can_issue_licenses\":true,\"services\":\"active\",\"past_due_amount\":0,\"currency\":\"usd\",\"past_due_invoices\":[],\"next_dunning_step\":null,\"data_deletion\":null}", ApiJson.write(new Entitlements("acct_1", true, "active", 0, "usd", List.of(), null, null)));
    }

    @Test
    void notification() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("amount_due", 500);
        data.put("number", "INV-1");
        Notification n = new Notification("ntf_1", "acct_1", "reminder", "ops@acme.test", "in_1", data, "sent", 1, "250 ok", null,
                "<m1@tollgate>", AT, LATER, null);
        assertEquals("{\"id\":\"ntf_1\",\"object\":\"notification\",\"account\":\"acct_1\",\"template\":\"reminder\",\"recipient\":\"ops@acme.test\",\"invoice\":\"in_1\",\"data\":{\"amount_due\":500,\"number\":\"INV-1\"},\"status\":\"sent\",\"attempts\":1,\"last_response\":\"250 ok\",\"next_attempt_at\":null,\"message_id\":\"<m1@tollgate>\",\"created_at\":\"2026-03-01T10:15:30Z\",\"sent_at\":\"2026-03-04T00:00:00Z\",\"failed_at\":null}", ApiJson.write(n));
    }

    @Test
    void usage() {
        assertEquals("{\"object\":\"usage_event\",\"id\":\"ue_1\",\"subscription\":\"sub_1\",\"quantity\":3,\"timestamp\":\"2026-03-01T10:15:30Z\",\"duplicate\":false}", ApiJson.write(new UsageEvent("ue_1", "sub_1", 3, AT, false)));
        assertEquals("{\"object\":\"usage_event_batch\",\"accepted\":2,\"duplicates\":1}", ApiJson.write(new UsageBatch(2, 1)));
    }

    @Test
    void certificateSigningKeyAndVerdict() {
        Map<String, Object> license = new LinkedHashMap<>();
        license.put("license", "lic_1");
        license.put("valid_until", "2026-04-01T00:00:00Z");
        assertEquals("{\"id\":\"lcert_1\",\"object\":\"license_certificate\",\"algorithm\":\"Ed25519\",\"key_id\":\"lsk_1\",\"payload\":\"eyJ9\",\"signature\":\"c2ln\",\"license\":{\"license\":\"lic_1\",\"valid_until\":\"2026-04-01T00:00:00Z\"}}", ApiJson.write(new Licensing.Certificate("lcert_1", "Ed25519", "lsk_1", "eyJ9", "c2ln", license)));
        SigningKeys.PublicKey key = new SigningKeys.PublicKey("lsk_1", "Ed25519", "MCow", "-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n");
        assertEquals("{\"id\":\"lsk_1\",\"object\":\"license_signing_key\",\"key_id\":\"lsk_1\",\"algorithm\":\"Ed25519\",\"public_key\":\"MCow\",\"public_key_pem\":\"-----BEGIN PUBLIC KEY-----\\nMCow\\n-----END PUBLIC KEY-----\\n\"}", ApiJson.write(key));
        assertEquals("{\"valid\":true,\"status\":\"assigned\",\"plan\":\"plan_1\",\"reason\":null}", ApiJson.write(new SiteCheck.Verdict(true, "assigned", "plan_1", null)));
        assertEquals("{\"valid\":false,\"status\":null,\"plan\":null,\"reason\":\"not_found\"}", ApiJson.write(new SiteCheck.Verdict(false, null, null, "not_found")));
    }

    @Test
    void nestedValues() {
        // Company and credit note lines are pinned inside account() and creditNote(); an address and a branding here.
        Address address = new Address("1 rue de la Paix", null, "Paris", "75002", null, "FR");
        assertEquals("{\"legal_name\":\"Acme SA\",\"address\":{\"line1\":\"1 rue de la Paix\",\"line2\":null,\"city\":\"Paris\","
                + "\"postal_code\":\"75002\",\"state\":null,\"country\":\"FR\"},\"tax_id\":null,\"billing_email\":\"ap@acme.test\"}",
                ApiJson.write(new Company("Acme SA", address, null, "ap@acme.test")));
        assertEquals("{\"sender_name\":\"Acme billing\",\"sender_email\":null,\"reply_to\":\"help@acme.test\",\"logo_url\":null,"
                + "\"brand_color\":\"#112233\",\"accent_color\":null}",
                ApiJson.write(new EmailBranding("Acme billing", null, "help@acme.test", null, "#112233", null)));
    }
}

package tollgate.notify;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tollgate.parties.Address;
import tollgate.parties.Company;
import tollgate.tenants.EmailBranding;
import tollgate.tenants.SellerCompany;
import tollgate.tenants.TenantProfile;

/**
 * One example of every message, with figures as the server queues them: the rendering benchmark composes these, the
 * tests check each renders whole, and {@code tollgate emails preview} writes them out to look at.
 */
public final class Samples {
    public static final Instant AT = Instant.parse("2030-03-04T09:00:00Z");

    private Samples() {}

    public static TenantProfile tenant() {
        Company company = new Company("Hostmost GmbH", new Address("Hauptstr. 1", null, "Berlin", "10115", null, "DE"), "DE123456789",
                "billing@hostmost.example");
        return new TenantProfile("tnt_sample", "Hostmost", "test", new SellerCompany(company, "help@hostmost.example"), null, null,
                "hostmost", new EmailBranding("Hostmost Billing", "billing@hostmost.example", null, null, "#0f766e", "#ecfdf5"));
    }

    public static Composer.Context context() {
        return new Composer.Context(tenant(), "Acme Agency", ZoneId.of("Europe/Berlin"), null);
    }

    /** Every message, by template name. */
    public static Map<String, Notification> all() {
        return all(tenant().slug());
    }

    /** The same, its links into the portal whose slug is {@code slug} (a test server's tenant, for one). */
    public static Map<String, Notification> all(String slug) {
        String portal = "/portal/" + slug + "/";
        Map<String, Notification> out = new LinkedHashMap<>();
        Map<String, Object> invoice = Map.of("invoice_number", "INV-000042", "total", 4900, "amount_due", 4900, "currency", "usd",
                "charged_automatically", false, "issued_at", "2030-03-01T09:00:00Z");
        out.put("invoice_issued", n("invoice_issued", "inv_sample", invoice));
        out.put("invoice_paid", n("invoice_paid", "inv_sample", Map.of("invoice_number", "INV-000042", "amount_paid", 4900,
                "currency", "usd", "paid_at", "2030-03-04T09:00:00Z")));
        for (int attempt = 1; attempt <= 3; attempt++) {
            Map<String, Object> d = dunning(attempt);
            d.put("next_attempt_at", attempt == 1 ? "2030-03-07T09:00:00Z" : attempt == 2 ? "2030-03-12T09:00:00Z" : "2030-03-19T09:00:00Z");
            d.put("then_action", attempt < 3 ? "suspend_services" : "cancel_services");
            d.put("then_at", attempt < 3 ? "2030-03-12T09:00:00Z" : "2030-03-19T09:00:00Z");
            out.put("payment_failed_" + attempt, n("payment_failed_" + attempt, "inv_sample", d));
        }
        Map<String, Object> unpaid = dunning(1);
        unpaid.put("decline_reason", "no_payment_method");
        unpaid.put("attempts_total", 1);
        unpaid.put("next_attempt_at", null);
        unpaid.put("then_action", "block_new_licenses");
        unpaid.put("then_at", "2030-03-18T09:00:00Z");
        out.put("invoice_unpaid", n("invoice_unpaid", "inv_sample", unpaid));
        Map<String, Object> blocked = new LinkedHashMap<>(unpaid);
        blocked.put("then_action", "revoke_all_licenses");
        blocked.put("then_at", "2030-04-01T09:00:00Z");
        out.put("licenses_blocked", n("licenses_blocked", "inv_sample", blocked));
        out.put("licenses_revoked", n("licenses_revoked", "inv_sample", with(unpaid, "revoked_at", "2030-04-01T09:00:00Z")));
        Map<String, Object> suspended = dunning(3);
        suspended.put("then_action", "cancel_services");
        suspended.put("then_at", "2030-03-19T09:00:00Z");
        suspended.put("suspended_at", "2030-03-12T09:00:00Z");
        out.put("services_suspended", n("services_suspended", "inv_sample", suspended));
        out.put("services_canceled", n("services_canceled", "inv_sample", with(dunning(4), "canceled_at", "2030-03-19T09:00:00Z")));
        Map<String, Object> deletion = with(dunning(4), "data_deleted_at", "2030-03-19T09:00:00Z");
        deletion.put("backups_purge_at", "2030-04-02T09:00:00Z");
        out.put("data_deletion_scheduled", n("data_deletion_scheduled", "inv_sample", deletion));
        out.put("backups_purged", n("backups_purged", null, Map.of("backups_purged_at", "2030-04-02T09:00:00Z")));
        out.put("services_restored", n("services_restored", null, Map.of("restored_at", "2030-03-05T09:00:00Z")));
        out.put("card_expiring", n("card_expiring", null, Map.of("payment_method", "pm_sample", "card_brand", "visa", "card_last4", "4242",
                "exp_month", 3, "exp_year", 2030)));
        out.put("trial_ending", n("trial_ending", null, Map.of("subscription", "sub_sample", "plan_name", "Hosting L", "price", 12000,
                "currency", "usd", "trial_end_at", "2030-03-07T09:00:00Z", "card_brand", "mastercard", "card_last4", "4444")));
        out.put("portal_invitation", n("portal_invitation", null, Map.of("inviter", "Ada Lovelace",
                "invite_path", portal + "invitations/inv_tok_sample", "expires_at", "2030-03-11T09:00:00Z")));
        out.put("staff_invitation", n("staff_invitation", null, Map.of("inviter", "Ada Lovelace", "role", "Support",
                "invite_path", "/console/invitations/sinv_tok_sample", "expires_at", "2030-03-11T09:00:00Z")));
        out.put("console_test_email", n("console_test_email", null, Map.of("sender", "Ada Lovelace")));
        out.put("email_verification", n("email_verification", null, Map.of(
                "verify_path", portal + "verify/ver_tok_sample", "expires_at", "2030-03-05T09:00:00Z")));
        out.put("password_reset", n("password_reset", null, Map.of(
                "reset_path", portal + "reset/rst_tok_sample", "expires_at", "2030-03-04T10:00:00Z")));
        out.put("webhook_endpoint_disabled", n("webhook_endpoint_disabled", null, Map.of("endpoint_id", "we_sample",
                "url", "https://app.hostmost.example/hooks/tollgate", "reason", "it answered no 2xx for 3 days")));
        return out;
    }

    private static Map<String, Object> dunning(int attempt) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("invoice_number", "INV-000042");
        d.put("amount_due", 4900);
        d.put("currency", "usd");
        d.put("attempt_count", attempt);
        d.put("policy", "hosting_default");
        d.put("step", attempt);
        d.put("attempt", Math.min(attempt, 4));
        d.put("attempts_total", 4);
        d.put("decline_reason", "insufficient_funds");
        d.put("next_attempt_at", null);
        d.put("then_action", null);
        d.put("then_at", null);
        return d;
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        out.put(key, value);
        return out;
    }

    private static Notification n(String template, String invoice, Map<String, Object> data) {
        String id = "ntf_sample_" + template;
        return new Notification(id, "acct_sample", template, "accounts@acme.example", invoice, data, "pending", 0, null,
                AT, "<" + id + "@billing.example>", AT, null, null);
    }

    /** The names of the messages only the portal will send (its issue queues them). */
    public static final List<String> PORTAL = List.of("portal_invitation", "email_verification", "password_reset");
}

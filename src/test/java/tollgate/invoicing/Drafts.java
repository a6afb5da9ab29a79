package tollgate.invoicing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.tenants.Tenant;
import tollgate.testing.ApiClient;
import tollgate.testing.TestServer;
import tollgate.tenants.Ctx;

/** What the billing run would hand to invoicing, built by hand, and a way to issue it as the run does. */
final class Drafts {
    static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");

    private Drafts() {}

    /** A license active all of March: 31 of 31 days of 900. */
    static InvoiceLine fullMonth() {
        return new InvoiceLine("license", "Jetpack Security, March 2026", "plan_security", null, "lic_full", "ZA6VE",
                "https://shop.example", MARCH, APRIL, 1, 31, 900);
    }

    /** A license issued on 17 March: round(900 × 15 / 31) = 435. */
    static InvoiceLine halfMonth() {
        return new InvoiceLine("license", "Jetpack Security, from 17 March", "plan_security", null, "lic_half", "B8N3P",
                "https://blog.example", Instant.parse("2026-03-17T00:00:00Z"), APRIL, 1, 15, 435);
    }

    /** Metered usage: 29 units of 1. */
    static InvoiceLine usage() {
        return new InvoiceLine("usage", "Bandwidth (GB)", "plan_bandwidth", "sub_usage", null, null, null, MARCH, APRIL, 29, null, 29);
    }

    /** The three lines above (1,364) with a 20% discount given as 273. */
    static NewInvoice march(String account, String currency) {
        return new NewInvoice(account, currency, APRIL, MARCH, APRIL, List.of(fullMonth(), halfMonth(), usage()),
                List.of(new Discount("coupon_launch", "sub_usage", "Launch 20% off", 273)));
    }

    static NewInvoice at(String account, String currency, Instant billingDate, long amount) {
        return new NewInvoice(account, currency, billingDate, billingDate.minusSeconds(86_400), billingDate,
                List.of(new InvoiceLine("subscription", "Hosting", "plan_hosting", "sub_1", null, null, null,
                        billingDate.minusSeconds(86_400), billingDate, 1, null, amount)), List.of());
    }

    /** Issues {@code draft} in a transaction of its own, at the tenant's clock, as the billing run would. */
    static Optional<Invoice> issue(TestServer server, ApiClient api, NewInvoice draft) {
        return server.app.db.tx(tx -> issue(tx, server.app.invoices, api.tenant, draft, server.app.clock.now(tx, api.tenant)));
    }

    /**
     * The billing run's path for one draft, in the caller's transaction: the account locked and checked, then issued;
     * empty, with nothing written, when the account has an invoice at that billing date already (the run leaves such an
     * account out before it asks any source).
     */
    static Optional<Invoice> issue(DSLContext tx, Invoices invoices, Tenant tenant, NewInvoice draft, Instant now) {
        Buyers buyers = invoices.lockBuyers(new Ctx(tx, tenant, now), List.of(draft.accountId()), draft.billingDate());
        if (buyers.invoiced(draft.accountId())) return Optional.empty();
        return Optional.of(invoices.issue(new Ctx(tx, tenant, now), buyers, List.of(draft)).getFirst());
    }

    static Invoice issued(TestServer server, ApiClient api, NewInvoice draft) {
        return issue(server, api, draft).orElseThrow(() -> new AssertionError("not issued: " + draft));
    }
}

package tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import tollgate.testing.ApiClient.Res;

/** Things most licensing tests need: an account that may be issued licenses, and a license plan. */
public final class Fixtures {
    private Fixtures() {}

    public static String licensePlan(ApiClient api, String currency, long amount) {
        Res plan = api.post("/v1/plans", "{\"name\":\"Jetpack Security\",\"type\":\"license\",\"currency\":\"" + currency
                + "\",\"amount\":" + amount + "}");
        if (plan.status() != 200) throw new AssertionError("plan not created: " + plan);
        return plan.str("id");
    }

    public static String flatPlan(ApiClient api, String currency) {
        Res plan = api.post("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"" + currency + "\",\"amount\":2500}");
        if (plan.status() != 200) throw new AssertionError("plan not created: " + plan);
        return plan.str("id");
    }

    public static String attachCard(ApiClient api, String accountId, String token) {
        Res pm = api.post("/v1/accounts/" + accountId + "/payment_methods", "{\"token\":\"" + token + "\"}");
        if (pm.status() != 200) throw new AssertionError("payment method not attached: " + pm);
        return pm.str("id");
    }

    /** An account in {@code currency} with a working card. */
    public static String payingAccount(ApiClient api, String name, String currency) {
        String account = api.newAccount(name, currency, "UTC");
        attachCard(api, account, "tok_visa");
        return account;
    }

    public static Res issue(ApiClient api, String account, String plan, int quantity) {
        return api.post("/v1/accounts/" + account + "/licenses", "{\"plan\":\"" + plan + "\",\"quantity\":" + quantity + "}");
    }

    public static String issueOne(ApiClient api, String account, String plan) {
        Res r = issue(api, account, plan, 1);
        if (r.status() != 200) throw new AssertionError("license not issued: " + r);
        return r.json().at("/data/0/id").asText();
    }

    /**
     * For a tenant whose clock stands at 10 December 2029, 9.00: a license at 9.00 a month issued to {@code account} with
     * a card that declines for insufficient funds, and the clock advanced to 1 January 2030, where the account's first
     * invoice (900 × 22 / 31 = 638.71 → $6.39) is declined. Answers that invoice as the account's list shows it.
     */
    public static com.fasterxml.jackson.databind.JsonNode declinedFirstInvoice(ApiClient api, String account) {
        String plan = licensePlan(api, "usd", 900);
        attachCard(api, account, "tok_chargeDeclinedInsufficientFunds");
        issueOne(api, account, plan);
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"2030-01-01T00:00:00Z\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        com.fasterxml.jackson.databind.JsonNode invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0");
        assertThat(invoice.at("/amount_due").asLong()).isEqualTo(639);
        return invoice;
    }
}

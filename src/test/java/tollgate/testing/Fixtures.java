package tollgate.testing;

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
}

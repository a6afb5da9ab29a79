package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * SPEC §2 trials on a license plan: each license's first {@code trial_days} calendar days are not charged; it is
 * billed per active day from the trial's end.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class LicenseTrialTest {
    @Parameter
    TestDatabase database;
    ApiClient api;

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private Map<String, Long> amountsByLicense(String account, int invoiceIndexNewestFirst) {
        JsonNode data = api.get("/v1/accounts/" + account + "/invoices").json().get("data");
        JsonNode invoice = api.get("/v1/invoices/" + data.get(invoiceIndexNewestFirst).get("id").asText()).json();
        Map<String, Long> amounts = new HashMap<>();
        invoice.get("lines").forEach(l -> amounts.put(l.get("license").asText(), l.get("amount").asLong()));
        return amounts;
    }

    @Test
    void aLicenseIsChargedFromTheEndOfItsPlansTrial() {
        api = TestServer.on(database).newTenant();
        Res plan = api.post("/v1/plans", """
                {"name": "Jetpack Trial", "type": "license", "currency": "usd", "amount": 3100, "trial_days": 14}""");
        assertThat(plan.status()).as(plan.text()).isEqualTo(200);
        String account = api.newAccount("Trial agency", "usd", "UTC");
        Fixtures.attachCard(api, account, "tok_visa");

        advance("2027-03-10T10:00:00Z");
        String wholeTrialInMarch = Fixtures.issueOne(api, account, plan.str("id"));
        advance("2027-03-25T10:00:00Z");
        String trialIntoApril = Fixtures.issueOne(api, account, plan.str("id"));
        advance("2027-03-28T12:00:00Z");
        String revokedInTrial = Fixtures.issueOne(api, account, plan.str("id"));
        advance("2027-04-02T09:00:00Z");
        assertThat(api.post("/v1/licenses/" + revokedInTrial + "/revoke", "{}").status()).isEqualTo(200);

        advance("2027-05-01T00:00:00Z");

        // March (31 days): issued 10 Mar, trial to 24 Mar 10:00 → active 24–31 Mar, 8 days: 3100 × 8 / 31 = 800.
        // Issued 25 Mar: trial to 8 Apr, nothing in March (no line); issued 28 Mar: trial through its revocation.
        Map<String, Long> march = amountsByLicense(account, 1);
        assertThat(march).containsOnly(Map.entry(wholeTrialInMarch, 800L));
        // April (30 days): the first all month, 3100; the second from 8 Apr 10:00, 23 days: 3100 × 23 / 30 = 2376.67 → 2377.
        Map<String, Long> april = amountsByLicense(account, 0);
        assertThat(april).containsOnly(Map.entry(wholeTrialInMarch, 3100L), Map.entry(trialIntoApril, 2377L));
    }
}

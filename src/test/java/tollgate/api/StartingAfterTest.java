package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
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
 * Issue #10 1.2: a {@code starting_after} that names nothing of the list is a 404 naming the parameter on every list,
 * never the first page again (a client paging on would loop for ever).
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class StartingAfterTest {
    @Parameter
    TestDatabase database;

    @Test
    void anUnknownStartingAfterIsA404NamingTheParameterOnEveryList() {
        ApiClient api = TestServer.on(database).newTenant();
        String account = Fixtures.payingAccount(api, "Agency", "usd");
        String plan = Fixtures.licensePlan(api, "usd", 900);
        Fixtures.issueOne(api, account, plan);
        String invoice = anInvoice(api, account);

        List<String> lists = List.of("/v1/accounts", "/v1/plans", "/v1/coupons", "/v1/dunning_policies", "/v1/events",
                "/v1/accounts/" + account + "/payment_methods", "/v1/accounts/" + account + "/licenses",
                "/v1/accounts/" + account + "/licenses?status=unassigned", "/v1/accounts/" + account + "/subscriptions",
                "/v1/accounts/" + account + "/invoices", "/v1/accounts/" + account + "/notifications",
                "/v1/invoices/" + invoice + "/credit_notes");
        // "zzz" sorts after every id, "a" before them all: neither may be taken for a position.
        for (String list : lists) {
            for (String unknown : List.of("zzz_unknown", "a")) {
                Res r = api.get(list + (list.contains("?") ? "&" : "?") + "starting_after=" + unknown);
                assertThat(r.status()).as(list + " starting_after=" + unknown).isEqualTo(404);
                assertThat(r.code()).isEqualTo("resource_missing");
                assertThat(r.str("field")).isEqualTo("starting_after");
            }
        }
    }

    @Test
    void anIdOfAnotherListIsUnknownToo() {
        ApiClient api = TestServer.on(database).newTenant();
        String mine = api.newAccount("Mine", "usd", "UTC");
        String other = Fixtures.payingAccount(api, "Other", "usd");
        String plan = Fixtures.licensePlan(api, "usd", 900);
        String othersLicense = Fixtures.issueOne(api, other, plan);
        Res r = api.get("/v1/accounts/" + mine + "/licenses?starting_after=" + othersLicense);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.str("field")).isEqualTo("starting_after");
        // And an account of another tenant is no position in this tenant's list of accounts.
        ApiClient stranger = TestServer.on(database).newTenant();
        assertThat(stranger.get("/v1/accounts?starting_after=" + mine).status()).isEqualTo(404);
    }

    @Test
    void aRowThatLeftTheFilterSinceStillMarksWhereTheNextPageStarts() {
        ApiClient api = TestServer.on(database).newTenant();
        String account = Fixtures.payingAccount(api, "Agency", "usd");
        String plan = Fixtures.licensePlan(api, "usd", 900);
        assertThat(Fixtures.issue(api, account, plan, 3).status()).isEqualTo(200);
        Res all = api.get("/v1/accounts/" + account + "/licenses?status=unassigned");
        String newest = all.json().at("/data/0/id").asText();
        String middle = all.json().at("/data/1/id").asText();
        String oldest = all.json().at("/data/2/id").asText();
        Res first = api.get("/v1/accounts/" + account + "/licenses?status=unassigned&limit=2");
        assertThat(first.json().get("data")).extracting(n -> n.get("id").asText()).containsExactly(newest, middle);
        assertThat(api.post("/v1/licenses/" + middle + "/assign", "{\"site_url\":\"https://shop.example\"}").status()).isEqualTo(200);

        Res next = api.get("/v1/accounts/" + account + "/licenses?status=unassigned&limit=2&starting_after=" + middle);
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.json().get("data")).extracting(n -> n.get("id").asText()).containsExactly(oldest);
    }

    /** The license issued above, billed on the 1st after next month begins. */
    private static String anInvoice(ApiClient api, String account) {
        Instant now = Instant.parse(api.get("/v1/test_clock").str("now"));
        LocalDate firstOfNext = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1);
        Res advanced = api.post("/v1/test_clock/advance", "{\"to\":\"" + firstOfNext.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(60) + "\"}");
        assertThat(advanced.status()).isEqualTo(200);
        Res invoices = api.get("/v1/accounts/" + account + "/invoices");
        assertThat(invoices.json().get("data")).isNotEmpty();
        return invoices.json().at("/data/0/id").asText();
    }
}

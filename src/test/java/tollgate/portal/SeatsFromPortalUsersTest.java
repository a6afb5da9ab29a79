package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.accounts.PortalUser;
import tollgate.testing.ApiClient;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;
import tollgate.web.Passwords;

/**
 * A seats plan with {@code seats_from: portal_users} (decision 039) on every database. The account is in UTC; the plan
 * is 49.00 a month with 1 seat included and 15.00 a seat beyond. Subscribed on March 10, 2030 (period March 10 – April
 * 10, 31 days); a member joins on March 20 (21 days left), is deactivated on March 25 (the seat is kept until April 10)
 * and reactivated on April 20 (period April 10 – May 10, 30 days; 20 days left).
 */
class SeatsFromPortalUsersTest {

    private static ApiClient.Res ok(ApiClient.Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    private static void refused(ApiClient.Res r, int status, String code, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.code()).as(r.text()).isEqualTo(code);
        assertThat(r.str("field")).as(r.text()).isEqualTo(field);
    }

    private static void advance(ApiClient api, String to) {
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}"));
    }

    private static JsonNode subscription(ApiClient api, String id) {
        return ok(api.get("/v1/subscriptions/" + id)).json();
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void theSeatsFollowTheAccountsActivePortalUsers(TestDatabase database) throws Exception {
        TestServer server = TestServer.on(database);
        // Scenario.tenantAt: no idempotency purges queued from the real date up to 2030 to run on the first call.
        ApiClient api = tollgate.testing.Scenario.tenantAt(server, Instant.parse("2030-03-10T09:00:00Z"));
        String slug = "sf-" + Long.toString(System.nanoTime(), 36);
        server.app.tenants.setSlug(api.tenant.id(), slug);
        String base = "/portal/" + slug + "/";
        PortalSessionsApiTest.Visitor visitor = new PortalSessionsApiTest.Visitor(server.baseUrl);
        assertThat(visitor.submit(base + "signup", base + "signup", Map.of("company", "Seat Counting Ltd", "contact_name", "Ada",
                "email", "ada@seats.example", "country", "GB", "timezone", "UTC",
                "password", "correct horse battery staple")).statusCode()).isEqualTo(303);
        PortalUser owner = server.app.portalUsers.byEmail(api.tenant, "ada@seats.example").orElseThrow();
        server.app.portalUsers.markVerified(api.tenant, owner.id());
        owner = server.app.portalUsers.get(api.tenant, owner.id()).orElseThrow();
        String account = owner.accountId();

        // The plan API: seats_from only on seats plans, only portal_users.
        refused(api.post("/v1/plans", "{\"name\":\"Flat\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":900,"
                + "\"seats_from\":\"portal_users\"}"), 422, "parameter_not_applicable", "seats_from");
        refused(api.post("/v1/plans", "{\"name\":\"Team\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,\"included_seats\":1,"
                + "\"seat_amount\":1500,\"seats_from\":\"api\"}"), 422, "parameter_invalid", "seats_from");
        ApiClient.Res created = ok(api.post("/v1/plans", "{\"name\":\"Team\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":1,\"seat_amount\":1500,\"seats_from\":\"portal_users\"}"));
        assertThat(created.str("seats_from")).isEqualTo("portal_users");
        String plan = created.str("id");
        assertThat(ok(api.get("/v1/plans/" + plan)).str("seats_from")).isEqualTo("portal_users");
        String usual = ok(api.post("/v1/plans", "{\"name\":\"Usual\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":1,\"seat_amount\":1500}")).json().get("seats_from").toString();
        assertThat(usual).isEqualTo("null");

        ok(api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\"}"));
        refused(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\",\"seats\":3}"),
                422, "seats_from_portal_users", "seats");
        // Subscribing counts the active users: the owner alone, the one included seat. 49.00 at once.
        String sub = ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}")).str("id");
        assertThat(subscription(api, sub).get("seats").asInt()).isEqualTo(1);
        assertThat(ok(api.get("/v1/accounts/" + account + "/invoices")).json().at("/data/0/total").asLong()).isEqualTo(4900);

        // March 20: a member accepts an invitation. One more seat at once: 15.00 × 21 / 31 = 10.16 (10.161…), on April 10.
        advance(api, "2030-03-20T09:00:00Z");
        var invitation = server.app.portalLinks.invite(api.tenant, owner, "max@seats.example", PortalUser.Role.MEMBER, base);
        PortalUser member = server.app.portalLinks.accept(api.tenant, invitation.token(), "Max", Passwords.hash("violet tugboat marmalade"));
        JsonNode two = subscription(api, sub);
        assertThat(two.get("seats").asInt()).isEqualTo(2);
        assertThat(two.get("pending_seats").isNull()).isTrue();
        refused(api.post("/v1/subscriptions/" + sub, "{\"seats\":5}"), 422, "seats_from_portal_users", "seats");

        // March 25: the member is deactivated. The seat stays until April 10; nothing is credited.
        advance(api, "2030-03-25T09:00:00Z");
        server.app.portalUsers.setActive(api.tenant, owner, member.id(), false);
        JsonNode leaving = subscription(api, sub);
        assertThat(leaving.get("seats").asInt()).isEqualTo(2);
        assertThat(leaving.get("pending_seats").asInt()).isEqualTo(1);

        // April 10: the renewal with one seat (49.00) and the member's 21 days (10.16): 59.16.
        advance(api, "2030-04-10T09:00:00Z");
        JsonNode april = ok(api.get("/v1/accounts/" + account + "/invoices")).json().at("/data/0");
        assertThat(april.get("total").asLong()).as(april.toString()).isEqualTo(5916);
        assertThat(april.toString()).contains("1016").contains("4900");
        JsonNode one = subscription(api, sub);
        assertThat(one.get("seats").asInt()).isEqualTo(1);
        assertThat(one.get("pending_seats").isNull()).isTrue();

        // April 20: reactivated. One more seat: 15.00 × 20 / 30 = 10.00, on May 10 with the renewal of two seats (64.00).
        advance(api, "2030-04-20T09:00:00Z");
        server.app.portalUsers.setActive(api.tenant, owner, member.id(), true);
        assertThat(subscription(api, sub).get("seats").asInt()).isEqualTo(2);
        advance(api, "2030-05-10T09:00:00Z");
        JsonNode may = ok(api.get("/v1/accounts/" + account + "/invoices")).json().at("/data/0");
        assertThat(may.get("total").asLong()).as(may.toString()).isEqualTo(4900 + 1500 + 1000);
    }
}

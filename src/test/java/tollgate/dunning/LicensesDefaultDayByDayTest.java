package tollgate.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Dunned;
import tollgate.testing.Dunned.Attempt;
import tollgate.testing.Dunned.Ent;
import tollgate.testing.Dunned.Inv;
import tollgate.testing.Dunned.Note;
import tollgate.testing.Dunned.Picture;
import tollgate.testing.Dunned.Step;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * SPEC §6 {@code licenses_default}, day by day: "email on the unpaid invoice; 14 days after issue the account cannot
 * issue new licenses (existing ones keep working); 28 days after issue all of its licenses (bundles included) are
 * revoked and it must pay the past-due invoice before issuing again". December's licenses are invoiced at 00:00 on
 * 1 January 2030 and the card declines; a wire transfer recorded on day 29 lifts the block, not the revocations.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class LicensesDefaultDayByDayTest {
    private static final Instant DAY_0 = Instant.parse("2030-01-01T00:00:00Z");

    @Parameter
    TestDatabase database;
    ApiClient api;

    private static String day(int n) {
        return DAY_0.plus(Duration.ofDays(n)).toString();
    }

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private JsonNode validate(String key, String site) {
        Res r = api.get("/v1/licenses/validate?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&site_url="
                + URLEncoder.encode(site, StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    /** Each license of the account by name, with its status. */
    private Map<String, String> licenses(Dunned watch, String account) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode l : api.get("/v1/accounts/" + account + "/licenses?limit=100").json().get("data"))
            out.put(watch.nameOf(l.get("id").asText()), l.get("status").asText());
        return out;
    }

    private static final List<Step> SCHEDULE = List.of(
            new Step("invoice", 0, "notify", "invoice_unpaid", day(0), null, null),
            new Step("invoice", 1, "block_new_licenses", null, day(14), null, null),
            new Step("invoice", 2, "revoke_all_licenses", null, day(28), null, null));

    private static List<Step> ranUpTo(int last) {
        return SCHEDULE.subList(0, last + 1).stream()
                .map(s -> new Step(s.invoice(), s.step(), s.action(), s.template(), s.dueAt(), s.dueAt(), "done")).toList();
    }

    private static List<Step> upcomingAfter(int last) {
        return SCHEDULE.subList(last + 1, SCHEDULE.size());
    }

    @Test
    void blockedOnDay14RevokedOnDay28UnblockedByAWire() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2029-12-10T09:00:00Z"));
        String plan = Fixtures.licensePlan(api, "usd", 900);
        String account = api.newAccount("Agency", "usd", "UTC");
        Dunned watch = new Dunned(api, account);
        watch.name(Fixtures.attachCard(api, account, "tok_chargeDeclined"), "card");

        // 10 December: two licenses and a bundle of three; one of each kind serves a site.
        JsonNode two = api.post("/v1/accounts/" + account + "/licenses", "{\"plan\":\"" + plan + "\",\"quantity\":2}").json();
        Res bundle = api.post("/v1/accounts/" + account + "/bundles", "{\"plan\":\"" + plan + "\",\"size\":3}");
        assertThat(bundle.status()).as(bundle.text()).isEqualTo(200);
        watch.name(bundle.str("id"), "bundle");
        watch.name(two.at("/data/0/id").asText(), "l1").name(two.at("/data/1/id").asText(), "l2");
        for (int i = 0; i < 3; i++) watch.name(bundle.json().at("/licenses/" + i + "/id").asText(), "b" + (i + 1));
        String siteKey = two.at("/data/0/key").asText();
        String bundleKey = bundle.json().at("/licenses/0/key").asText();
        assertThat(api.post("/v1/licenses/" + watch.id("l1") + "/assign", "{\"site_url\":\"https://one.example\"}").status()).isEqualTo(200);
        assertThat(api.post("/v1/licenses/" + watch.id("b1") + "/assign", "{\"site_url\":\"https://bee.example\"}").status()).isEqualTo(200);
        watch.newEvents();

        // Day 0, 00:00 on 1 January: December billed in arrears, 22 active days each (10–31 December):
        // 900 × 22 / 31 = 638.71 → 639, five licenses: 3195. The card declines.
        advance(day(0));
        String invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
        watch.name(invoice, "invoice");
        JsonNode issued = api.get("/v1/invoices/" + invoice).json();
        assertThat(issued.get("billing_date").asText()).isEqualTo(day(0));
        assertThat(issued.get("lines")).hasSize(5);
        issued.get("lines").forEach(l -> {
            assertThat(l.get("days").asInt()).isEqualTo(22);
            assertThat(l.get("amount").asLong()).isEqualTo(639);
        });
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(
                day(0) + " invoice.issued invoice open due 3195",
                day(0) + " invoice.payment_failed invoice #1 issue generic_decline",
                day(0) + " invoice.past_due invoice licenses_default due 3195",
                day(0) + " notification.created invoice_issued invoice",
                day(0) + " notification.created invoice_unpaid invoice",
                day(0) + " dunning.step_run invoice 0 notify done");
        Picture before = watch.picture("invoice");
        // licenses_default has no retry: one attempt, and no next one planned.
        assertThat(before.invoice()).isEqualTo(new Inv("open", 0, 3195, 1, null));
        List<Attempt> attempts = List.of(new Attempt(1, 0, "card", 3195, "declined", "generic_decline", "issue", day(0)));
        assertThat(before.attempts()).isEqualTo(attempts);
        List<Note> notes = new java.util.ArrayList<>(List.of(new Note("invoice_issued", "billing@agency.test", "invoice", 3195, 0, day(0)),
                new Note("invoice_unpaid", "billing@agency.test", "invoice", 3195, 1, day(0))));
        assertThat(before.notes()).containsExactlyInAnyOrderElementsOf(notes); // one instant's messages in either order
        assertThat(before.entitlements()).isEqualTo(new Ent(true, "active", 3195, List.of("invoice"),
                "block_new_licenses", day(14), null, null, null));
        assertThat(before.past()).isEqualTo(ranUpTo(0));
        assertThat(before.upcoming()).isEqualTo(upcomingAfter(0));
        Map<String, String> live = Map.of("l1", "assigned", "l2", "unassigned", "b1", "assigned", "b2", "unassigned", "b3", "unassigned");
        assertThat(licenses(watch, account)).isEqualTo(live);

        for (int d = 1; d <= 28; d++) {
            advance(day(d));
            List<String> events = watch.newEvents();
            Picture now = watch.picture("invoice");
            switch (d) {
                case 14 -> {
                    assertThat(events).containsExactlyInAnyOrder(
                            day(14) + " account.licenses_blocked",
                            day(14) + " notification.created licenses_blocked invoice",
                            day(14) + " dunning.step_run invoice 1 block_new_licenses done");
                    assertThat(now.entitlements()).isEqualTo(new Ent(false, "active", 3195, List.of("invoice"),
                            "revoke_all_licenses", day(28), null, null, null));
                    notes.add(new Note("licenses_blocked", "billing@agency.test", "invoice", 3195, 1, day(14)));
                    assertThat(now.past()).isEqualTo(ranUpTo(1));
                    assertThat(now.upcoming()).isEqualTo(upcomingAfter(1));
                    assertThat(now.invoice()).isEqualTo(before.invoice());
                    Res more = Fixtures.issue(api, account, plan, 1);
                    assertThat(more.status()).as(more.text()).isEqualTo(402);
                    assertThat(more.code()).isEqualTo("licenses_blocked");
                    Res moreBundles = api.post("/v1/accounts/" + account + "/bundles", "{\"plan\":\"" + plan + "\",\"size\":2}");
                    assertThat(moreBundles.status()).as(moreBundles.text()).isEqualTo(402);
                    assertThat(moreBundles.code()).isEqualTo("licenses_blocked");
                    // Existing licenses keep working.
                    assertThat(licenses(watch, account)).isEqualTo(live);
                    assertThat(validate(siteKey, "https://one.example").get("valid").asBoolean()).isTrue();
                    assertThat(validate(bundleKey, "https://bee.example").get("valid").asBoolean()).isTrue();
                    assertThat(watch.newEvents()).as("refused issues leave no trace").isEmpty();
                }
                case 28 -> {
                    assertThat(events).containsExactlyInAnyOrder(
                            day(28) + " bundle.revoked bundle",
                            day(28) + " license.revoked l1 revoked",
                            day(28) + " license.revoked l2 revoked",
                            day(28) + " license.revoked b1 revoked",
                            day(28) + " license.revoked b2 revoked",
                            day(28) + " license.revoked b3 revoked",
                            day(28) + " notification.created licenses_revoked invoice",
                            day(28) + " dunning.step_run invoice 2 revoke_all_licenses done");
                    notes.add(new Note("licenses_revoked", "billing@agency.test", "invoice", 3195, 1, day(28)));
                    assertThat(now.entitlements()).isEqualTo(new Ent(false, "active", 3195, List.of("invoice"),
                            null, null, null, null, null));
                    assertThat(now.past()).isEqualTo(ranUpTo(2));
                    assertThat(now.upcoming()).isEmpty();
                    assertThat(now.invoice()).isEqualTo(before.invoice());
                    assertThat(licenses(watch, account)).isEqualTo(Map.of("l1", "revoked", "l2", "revoked", "b1", "revoked",
                            "b2", "revoked", "b3", "revoked"));
                    assertThat(api.get("/v1/bundles/" + watch.id("bundle")).str("status")).isEqualTo("revoked");
                    JsonNode verdict = validate(siteKey, "https://one.example");
                    assertThat(verdict.get("valid").asBoolean()).isFalse();
                    assertThat(verdict.get("status").asText()).isEqualTo("revoked");
                    assertThat(verdict.get("reason").asText()).isEqualTo("revoked");
                    assertThat(validate(bundleKey, "https://bee.example").get("reason").asText()).isEqualTo("revoked");
                    assertThat(Fixtures.issue(api, account, plan, 1).code()).isEqualTo("licenses_blocked");
                }
                default -> {
                    assertThat(events).as("day %d", d).isEmpty();
                    assertThat(now).as("day %d changes nothing", d).isEqualTo(before);
                    assertThat(licenses(watch, account)).as("day %d", d).isEqualTo(live);
                }
            }
            assertThat(now.attempts()).as("day %d", d).isEqualTo(attempts);
            assertThat(now.notes()).as("day %d", d).containsExactlyInAnyOrderElementsOf(notes);
            before = now;
        }

        // Day 29: the agency pays by wire. New licenses may be issued again; the revoked ones stay revoked.
        advance(day(29));
        Res wire = api.post("/v1/invoices/" + invoice + "/record_payment", "{\"amount\":3195,\"method\":\"wire\",\"reference\":\"WIRE-0129\"}");
        assertThat(wire.status()).as(wire.text()).isEqualTo(200);
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("paid", 3195, 0, 1, null));
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(
                day(29) + " invoice.paid invoice paid due 0",
                day(29) + " account.licenses_unblocked",
                day(29) + " account.dunning_ended invoice",
                day(29) + " notification.created invoice_paid invoice",
                day(29) + " notification.created services_restored null");
        assertThat(watch.entitlements()).isEqualTo(new Ent(true, "active", 0, List.of(), null, null, null, null, null));
        assertThat(watch.timeline().get("in_dunning").asBoolean()).isFalse();
        assertThat(watch.past()).isEqualTo(ranUpTo(2));
        JsonNode payments = api.get("/v1/invoices/" + invoice + "/payments").json().get("data");
        assertThat(payments).hasSize(1);
        assertThat(payments.get(0).get("method").asText()).isEqualTo("wire");
        assertThat(payments.get(0).get("reference").asText()).isEqualTo("WIRE-0129");
        assertThat(payments.get(0).get("amount").asLong()).isEqualTo(3195);
        assertThat(watch.attempts("invoice")).as("a wire is no charge").isEqualTo(attempts);

        Res again = Fixtures.issue(api, account, plan, 1);
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.json().at("/data/0/status").asText()).isEqualTo("unassigned");
        watch.name(again.json().at("/data/0/id").asText(), "l3");
        assertThat(licenses(watch, account)).isEqualTo(Map.of("l1", "revoked", "l2", "revoked", "b1", "revoked",
                "b2", "revoked", "b3", "revoked", "l3", "unassigned"));
        assertThat(validate(siteKey, "https://one.example").get("reason").asText()).isEqualTo("revoked");
        assertThat(validate(bundleKey, "https://bee.example").get("reason").asText()).isEqualTo("revoked");
        assertThat(api.get("/v1/bundles/" + watch.id("bundle")).str("status")).isEqualTo("revoked");
        assertThat(api.post("/v1/licenses/activate", "{\"key\":\"" + siteKey + "\",\"site_url\":\"https://one.example\"}").status())
                .as("a revoked key cannot be activated again").isNotEqualTo(200);
    }
}

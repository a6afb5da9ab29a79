package tollgate.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Issue #10 point 1.6, decision 023: an invoice with a license plan and a hosting plan runs the union of both plans'
 * policies. A hosting plan (25.00 a month, {@code hosting_default}) bought at 00:00 on 1 December 2029 and two licenses
 * of a license plan (9.00, {@code licenses_default} unless the test names another) issued then are invoiced together
 * at 00:00 on 1 January 2030 (day 0): January's hosting in advance, December's licenses in arrears, 43.00. The
 * account's one card declines from then on.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class MixedInvoiceDunningTest {
    private static final Instant DAY_0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final String H = BuiltInPolicies.HOSTING_DEFAULT;
    private static final String L = BuiltInPolicies.LICENSES_DEFAULT;

    @Parameter
    TestDatabase database;
    ApiClient api;
    Dunned watch;
    String account;
    String licensePlan;

    private static String day(int n) {
        return DAY_0.plus(Duration.ofDays(n)).toString();
    }

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private static String ok(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private void newTenant() {
        api = Scenario.tenantAt(TestServer.on(database), DAY_0.minus(Duration.ofDays(31)));
    }

    /** The mixed invoice, issued and declined on day 0; {@code licensePolicy} null: the license plan names none. */
    private void mixedInvoiceDeclinedOnDay0(String licensePolicy) {
        if (api == null) newTenant();
        licensePlan = ok(api.post("/v1/plans", "{\"name\":\"Jetpack\",\"type\":\"license\",\"currency\":\"usd\",\"amount\":900"
                + (licensePolicy == null ? "" : ",\"dunning_policy\":\"" + licensePolicy + "\"") + "}"));
        String hosting = Fixtures.flatPlan(api, "usd");
        account = api.newAccount("Agency", "usd", "UTC");
        watch = new Dunned(api, account);
        String visa = Fixtures.attachCard(api, account, "tok_visa");
        watch.name(ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + hosting + "\"}")), "hosting");
        JsonNode two = Fixtures.issue(api, account, licensePlan, 2).json();
        watch.name(two.at("/data/0/id").asText(), "l1").name(two.at("/data/1/id").asText(), "l2");
        advance(DAY_0.minus(Duration.ofDays(31)).toString());
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/status").asText()).isEqualTo("paid");

        watch.name(Fixtures.attachCard(api, account, "tok_chargeDeclined"), "card");
        ok(api.post("/v1/payment_methods/" + watch.id("card") + "/make_primary", null));
        assertThat(api.delete("/v1/payment_methods/" + visa).status()).isEqualTo(200);
        watch.newEvents();

        advance(day(0));
        JsonNode invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0");
        watch.name(invoice.get("id").asText(), "invoice");
        assertThat(invoice.get("billing_date").asText()).isEqualTo(day(0));
        assertThat(invoice.get("lines")).extracting(l -> l.get("kind").asText() + " " + l.get("amount").asLong())
                .containsExactly("subscription 2500", "license 900", "license 900");
    }

    /** The timeline's steps as "index action[ template] due_at <- policies", the policies each comes from. */
    private List<String> steps(String half) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : watch.timeline().get(half)) {
            List<String> policies = new ArrayList<>();
            s.get("policies").forEach(p -> policies.add(p.asText()));
            assertThat(s.get("policy").asText()).isEqualTo(policies.getFirst());
            out.add(s.get("step").asInt() + " " + s.get("action").asText()
                    + (s.get("template").isNull() ? "" : " " + s.get("template").asText()) + " " + s.get("due_at").asText()
                    + " <- " + String.join(",", policies));
        }
        return out;
    }

    private Map<String, String> licenses() {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode l : api.get("/v1/accounts/" + account + "/licenses").json().get("data"))
            out.put(watch.nameOf(l.get("id").asText()), l.get("status").asText());
        return out;
    }

    private static Attempt declined(int round, int day) {
        return new Attempt(round, 0, "card", 4300, "declined", "generic_decline", round == 1 ? "issue" : "retry", day(day));
    }

    /** hosting_default and licenses_default, merged: nothing of either is lost, nothing is done twice. */
    private static final List<String> SCHEDULE = List.of(
            "0 notify payment_failed_1 " + day(0) + " <- " + H,
            "1 notify invoice_unpaid " + day(0) + " <- " + L,
            "2 retry_payment " + day(3) + " <- " + H,
            "3 notify payment_failed_2 " + day(3) + " <- " + H,
            "4 retry_payment " + day(8) + " <- " + H,
            "5 notify payment_failed_3 " + day(8) + " <- " + H,
            "6 suspend_services " + day(8) + " <- " + H,
            "7 block_new_licenses " + day(14) + " <- " + L,
            "8 retry_payment " + day(15) + " <- " + H,
            "9 cancel_services " + day(15) + " <- " + H,
            "10 schedule_data_deletion " + day(15) + " <- " + H,
            "11 revoke_all_licenses " + day(28) + " <- " + L);

    @Test
    void theLicensesAreBlockedOnDay14AndRevokedOnDay28WhileTheHostingIsSuspendedOnDay8AndCanceledOnDay15() {
        mixedInvoiceDeclinedOnDay0(null);
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(
                day(0) + " invoice.issued invoice open due 4300",
                day(0) + " notification.created invoice_issued invoice",
                day(0) + " invoice.payment_failed invoice #1 issue generic_decline",
                day(0) + " subscription.updated hosting past_due",
                day(0) + " invoice.past_due invoice " + H + " due 4300",
                day(0) + " notification.created payment_failed_1 invoice",
                day(0) + " dunning.step_run invoice 0 notify done",
                day(0) + " notification.created invoice_unpaid invoice",
                day(0) + " dunning.step_run invoice 1 notify done");
        JsonNode pastDue = api.get("/v1/events?type=invoice.past_due&account=" + account).json().at("/data/0/data/policies");
        assertThat(pastDue).extracting(JsonNode::asText).containsExactly(H, L);
        assertThat(steps("past")).isEqualTo(SCHEDULE.subList(0, 2));
        assertThat(steps("upcoming")).isEqualTo(SCHEDULE.subList(2, 12));
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("open", 0, 4300, 1, day(3)));
        assertThat(watch.entitlements()).isEqualTo(new Ent(true, "active", 4300, List.of("invoice"), "retry_payment", day(3),
                null, null, null));
        JsonNode next = api.get("/v1/accounts/" + account + "/entitlements").json().get("next_dunning_step");
        assertThat(next.get("policies")).extracting(JsonNode::asText).containsExactly(H);

        List<Attempt> attempts = new ArrayList<>(List.of(declined(1, 0)));
        for (int d = 1; d <= 30; d++) {
            advance(day(d));
            List<String> events = watch.newEvents();
            switch (d) {
                case 3 -> {
                    assertThat(events).containsExactlyInAnyOrder(
                            day(3) + " invoice.payment_failed invoice #2 retry generic_decline",
                            day(3) + " dunning.step_run invoice 2 retry_payment payment_failed",
                            day(3) + " notification.created payment_failed_2 invoice",
                            day(3) + " dunning.step_run invoice 3 notify done");
                    attempts.add(declined(2, 3));
                    assertThat(watch.invoice("invoice")).isEqualTo(new Inv("open", 0, 4300, 2, day(8)));
                    assertThat(watch.entitlements()).isEqualTo(new Ent(true, "active", 4300, List.of("invoice"),
                            "retry_payment", day(8), null, null, null));
                }
                case 8 -> {
                    // SPEC §6: the suspension covers every service of the account; license keys keep their own policy.
                    assertThat(events).containsExactlyInAnyOrder(
                            day(8) + " invoice.payment_failed invoice #3 retry generic_decline",
                            day(8) + " dunning.step_run invoice 4 retry_payment payment_failed",
                            day(8) + " notification.created payment_failed_3 invoice",
                            day(8) + " dunning.step_run invoice 5 notify done",
                            day(8) + " account.services_suspended",
                            day(8) + " subscription.updated hosting suspended",
                            day(8) + " dunning.step_run invoice 6 suspend_services done",
                            day(8) + " notification.created services_suspended invoice");
                    attempts.add(declined(3, 8));
                    assertThat(watch.invoice("invoice")).isEqualTo(new Inv("open", 0, 4300, 3, day(15)));
                    assertThat(watch.entitlements()).isEqualTo(new Ent(true, "suspended", 4300, List.of("invoice"),
                            "block_new_licenses", day(14), null, null, null));
                    assertThat(licenses()).isEqualTo(Map.of("l1", "unassigned", "l2", "unassigned"));
                }
                case 14 -> {
                    assertThat(events).containsExactlyInAnyOrder(
                            day(14) + " account.licenses_blocked",
                            day(14) + " dunning.step_run invoice 7 block_new_licenses done",
                            day(14) + " notification.created licenses_blocked invoice");
                    assertThat(watch.entitlements()).isEqualTo(new Ent(false, "suspended", 4300, List.of("invoice"),
                            "retry_payment", day(15), null, null, null));
                    Res more = Fixtures.issue(api, account, licensePlan, 1);
                    assertThat(more.status()).as(more.text()).isEqualTo(402);
                    assertThat(more.code()).isEqualTo("licenses_blocked");
                    assertThat(licenses()).isEqualTo(Map.of("l1", "unassigned", "l2", "unassigned"));
                }
                case 15 -> {
                    assertThat(events).containsExactlyInAnyOrder(
                            day(15) + " invoice.payment_failed invoice #4 retry generic_decline",
                            day(15) + " dunning.step_run invoice 8 retry_payment payment_failed",
                            day(15) + " account.services_canceled",
                            day(15) + " subscription.canceled hosting canceled",
                            day(15) + " dunning.step_run invoice 9 cancel_services done",
                            day(15) + " account.data_deletion_scheduled purge " + day(29),
                            day(15) + " dunning.step_run invoice 10 schedule_data_deletion done",
                            day(15) + " notification.created services_canceled invoice",
                            day(15) + " notification.created data_deletion_scheduled invoice");
                    attempts.add(declined(4, 15));
                    assertThat(watch.invoice("invoice")).isEqualTo(new Inv("open", 0, 4300, 4, null));
                    assertThat(watch.entitlements()).isEqualTo(new Ent(false, "canceled", 4300, List.of("invoice"),
                            "revoke_all_licenses", day(28), day(15), day(29), "restorable"));
                }
                case 28 -> {
                    assertThat(events).containsExactlyInAnyOrder(
                            day(28) + " license.revoked l1 revoked",
                            day(28) + " license.revoked l2 revoked",
                            day(28) + " dunning.step_run invoice 11 revoke_all_licenses done",
                            day(28) + " notification.created licenses_revoked invoice");
                    assertThat(licenses()).isEqualTo(Map.of("l1", "revoked", "l2", "revoked"));
                    assertThat(watch.entitlements()).isEqualTo(new Ent(false, "canceled", 4300, List.of("invoice"),
                            null, null, day(15), day(29), "restorable"));
                }
                case 29 -> assertThat(events).containsExactly(day(29) + " account.backups_purged",
                        day(29) + " notification.created backups_purged null");
                default -> assertThat(events).as("day %d", d).isEmpty();
            }
            assertThat(watch.attempts("invoice")).as("day %d", d).isEqualTo(attempts);
        }
        assertThat(steps("past")).isEqualTo(SCHEDULE);
        assertThat(steps("upcoming")).isEmpty();
        assertThat(watch.notes()).extracting(Dunned.Note::template).filteredOn(MixedInvoiceDunningTest::aboutFailedPayment).containsExactlyInAnyOrder(
                "payment_failed_1", "invoice_unpaid", "payment_failed_2", "payment_failed_3");
    }

    @Test
    void aWireOnDay10EndsBothPoliciesTheLicensesAreNeverBlockedNorRevoked() {
        mixedInvoiceDeclinedOnDay0(null);
        advance(day(10));
        assertThat(watch.entitlements().services()).isEqualTo("suspended");
        watch.newEvents();
        Res wire = api.post("/v1/invoices/" + watch.id("invoice") + "/record_payment",
                "{\"amount\":4300,\"method\":\"wire\",\"reference\":\"WIRE-0111\"}");
        assertThat(wire.status()).as(wire.text()).isEqualTo(200);
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(
                day(10) + " invoice.paid invoice paid due 0",
                day(10) + " account.services_restored",
                day(10) + " subscription.updated hosting active",
                day(10) + " account.dunning_ended invoice",
                day(10) + " notification.created invoice_paid invoice",
                day(10) + " notification.created services_restored null");
        assertThat(steps("upcoming")).isEmpty();

        advance(day(30));
        assertThat(watch.newEvents()).isEmpty();
        assertThat(watch.entitlements()).isEqualTo(new Ent(true, "active", 0, List.of(), null, null, null, null, null));
        assertThat(licenses()).isEqualTo(Map.of("l1", "unassigned", "l2", "unassigned"));
        assertThat(watch.attempts("invoice")).containsExactly(declined(1, 0), declined(2, 3), declined(3, 8));
        assertThat(steps("past")).isEqualTo(SCHEDULE.subList(0, 7));
    }

    /**
     * The license plan's own policy also retries on day 3 and sends payment_failed_1 and _2 as hosting_default does:
     * one charge round on day 3, each email once, and the merged steps name both policies.
     */
    @Test
    void sameDayRetriesOfTwoPoliciesAreOneRoundAndTheSameEmailIsSentOnce() {
        newTenant();
        String own = ok(api.post("/v1/dunning_policies", """
                {"name": "Licenses, retried", "steps": [
                  {"after_days": 0,  "action": "notify", "template": "payment_failed_1"},
                  {"after_days": 3,  "action": "retry_payment"},
                  {"after_days": 3,  "action": "notify", "template": "payment_failed_2"},
                  {"after_days": 14, "action": "block_new_licenses"},
                  {"after_days": 28, "action": "revoke_all_licenses"}]}"""));
        mixedInvoiceDeclinedOnDay0(own);
        assertThat(steps("past")).containsExactly("0 notify payment_failed_1 " + day(0) + " <- " + H + "," + own);
        assertThat(steps("upcoming")).containsExactly(
                "1 retry_payment " + day(3) + " <- " + H + "," + own,
                "2 notify payment_failed_2 " + day(3) + " <- " + H + "," + own,
                "3 retry_payment " + day(8) + " <- " + H,
                "4 notify payment_failed_3 " + day(8) + " <- " + H,
                "5 suspend_services " + day(8) + " <- " + H,
                "6 block_new_licenses " + day(14) + " <- " + own,
                "7 retry_payment " + day(15) + " <- " + H,
                "8 cancel_services " + day(15) + " <- " + H,
                "9 schedule_data_deletion " + day(15) + " <- " + H,
                "10 revoke_all_licenses " + day(28) + " <- " + own);

        advance(day(3));
        assertThat(watch.attempts("invoice")).containsExactly(declined(1, 0), declined(2, 3));
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("open", 0, 4300, 2, day(8)));
        assertThat(watch.notes()).extracting(Dunned.Note::template).filteredOn(MixedInvoiceDunningTest::aboutFailedPayment).containsExactlyInAnyOrder("payment_failed_1", "payment_failed_2");

        advance(day(28));
        assertThat(watch.attempts("invoice")).containsExactly(declined(1, 0), declined(2, 3), declined(3, 8), declined(4, 15));
        assertThat(watch.entitlements()).isEqualTo(new Ent(false, "canceled", 4300, List.of("invoice"), null, null,
                day(15), day(29), "restorable"));
        assertThat(licenses()).isEqualTo(Map.of("l1", "revoked", "l2", "revoked"));
    }

    /**
     * An invoice that became past due before invoices kept their merged steps (V13) has no merged list and steps run
     * without {@code policies}: it runs its one policy, whose step numbers are the same, and says so.
     */
    @Test
    void anInvoicePastDueBeforeMergedStepsWereKeptRunsItsOnePolicy() {
        newTenant();
        String hosting = Fixtures.flatPlan(api, "usd");
        account = api.newAccount("Shop", "usd", "UTC");
        watch = new Dunned(api, account);
        watch.name(Fixtures.attachCard(api, account, "tok_chargeDeclined"), "card");
        advance(day(0));
        ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + hosting + "\"}"));
        advance(day(0));
        watch.name(api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText(), "invoice");
        TestServer.on(database).app.db.tx(tx -> {
            tx.execute("update invoices set dunning_steps = null where id = ?", watch.id("invoice"));
            tx.execute("update dunning_steps set policies = null where invoice_id = ?", watch.id("invoice"));
            return null;
        });
        assertThat(steps("past")).containsExactly("0 notify payment_failed_1 " + day(0) + " <- " + H);
        assertThat(steps("upcoming")).hasSize(8).first().isEqualTo("1 retry_payment " + day(3) + " <- " + H);

        advance(day(3));
        assertThat(watch.attempts("invoice")).extracting(Attempt::at).containsExactly(day(0), day(3));
        assertThat(steps("past")).containsExactly("0 notify payment_failed_1 " + day(0) + " <- " + H,
                "1 retry_payment " + day(3) + " <- " + H, "2 notify payment_failed_2 " + day(3) + " <- " + H);
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("open", 0, 2500, 2, day(8)));
    }

    /** The emails of the failed payment itself (not the invoice, the receipt, or what dunning did to the account). */
    private static boolean aboutFailedPayment(String template) {
        return template.startsWith("payment_failed") || template.equals("invoice_unpaid");
    }
}

package tollgate.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * SPEC §6 {@code hosting_default}, played day by day with the test clock: attempt 1 on the billing date (→ email 1),
 * attempt 2 three days after (→ email 2), attempt 3 eight days after (→ email 3 and every plan and service of the
 * account suspended, current ones included), attempt 4 fifteen days after on the primary card then the other
 * (→ services canceled, data deletion scheduled, backups kept 14 more days, then purged). Each day asserts the
 * invoice, every charge, that day's events, the outbox, the entitlements and the dunning timeline; a quiet day
 * changes nothing at all.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class HostingDefaultDayByDayTest {
    private static final Instant DAY_0 = Instant.parse("2030-01-01T10:00:00Z");
    private static final String RECIPIENT = "accounts@shop.test";

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

    private String ok(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    /** The policy's steps for the invoice with their dates: ran ones get their outcome in {@link #ran}. */
    private static final List<Step> SCHEDULE = List.of(
            new Step("hosting invoice", 0, "notify", "payment_failed_1", day(0), null, null),
            new Step("hosting invoice", 1, "retry_payment", null, day(3), null, null),
            new Step("hosting invoice", 2, "notify", "payment_failed_2", day(3), null, null),
            new Step("hosting invoice", 3, "retry_payment", null, day(8), null, null),
            new Step("hosting invoice", 4, "notify", "payment_failed_3", day(8), null, null),
            new Step("hosting invoice", 5, "suspend_services", null, day(8), null, null),
            new Step("hosting invoice", 6, "retry_payment", null, day(15), null, null),
            new Step("hosting invoice", 7, "cancel_services", null, day(15), null, null),
            new Step("hosting invoice", 8, "schedule_data_deletion", null, day(15), null, null));

    /** Steps 0 … last as they ran on their dates: retries failed, everything else done. */
    private static List<Step> ranUpTo(int last) {
        List<Step> out = new ArrayList<>();
        for (Step s : SCHEDULE.subList(0, last + 1))
            out.add(new Step(s.invoice(), s.step(), s.action(), s.template(), s.dueAt(), s.dueAt(),
                    s.action().equals("retry_payment") ? "payment_failed" : "done"));
        return out;
    }

    private static List<Step> upcomingAfter(int last) {
        return SCHEDULE.subList(last + 1, SCHEDULE.size());
    }

    /** Round {@code n} on day {@code d}: the primary (insufficient funds), then the other card (lost). */
    private static List<Attempt> round(int n, int d, String reason) {
        return List.of(new Attempt(n, 0, "funds card", 2500, "declined", "insufficient_funds", reason, day(d)),
                new Attempt(n, 1, "lost card", 2500, "declined", "lost_card", reason, day(d)));
    }

    @Test
    void theHostingPolicyDayByDayWithTwoDecliningCardsAndASecondPaidSubscription() {
        api = Scenario.tenantAt(TestServer.on(database), DAY_0.minus(Duration.ofHours(1)));
        String hosting = ok(api.post("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}"));
        String team = ok(api.post("/v1/plans", "{\"name\":\"Team\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":1000,"
                + "\"included_seats\":2,\"seat_amount\":300}"));
        String account = ok(api.post("/v1/accounts", """
                {"name": "Shop", "email": "owner@shop.test", "currency": "usd", "timezone": "UTC",
                 "company": {"legal_name": "Shop Ltd", "billing_email": "accounts@shop.test"}}"""));
        Dunned watch = new Dunned(api, account);

        // An hour before day 0 the team plan is bought with a good card and paid at once: a current subscription.
        String visa = Fixtures.attachCard(api, account, "tok_visa");
        String teamSub = ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + team + "\",\"seats\":4}"));
        advance(DAY_0.minus(Duration.ofHours(1)).toString());
        String teamInvoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
        watch.name(teamSub, "team").name(teamInvoice, "team invoice").name(visa, "visa");
        assertThat(watch.invoice("team invoice")).isEqualTo(new Inv("paid", 1600, 0, 1, null));

        // Then the good card goes; two cards that always decline stay, the insufficient-funds one primary.
        advance(DAY_0.toString());
        String funds = Fixtures.attachCard(api, account, "tok_chargeDeclinedInsufficientFunds");
        String lost = Fixtures.attachCard(api, account, "tok_chargeDeclinedLostCard");
        watch.name(funds, "funds card").name(lost, "lost card");
        ok(api.post("/v1/payment_methods/" + funds + "/make_primary", null));
        Res removed = api.delete("/v1/payment_methods/" + visa);
        assertThat(removed.status()).as(removed.text()).isEqualTo(200);
        assertThat(removed.json().get("promoted").isNull()).isTrue();
        watch.newEvents();

        // Day 0: the hosting plan is bought and its invoice charged at once: both cards decline.
        String hostingSub = ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + hosting + "\"}"));
        watch.name(hostingSub, "hosting");
        advance(day(0));
        String invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
        watch.name(invoice, "hosting invoice");
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(
                day(0) + " subscription.created hosting active",
                day(0) + " invoice.issued hosting invoice open due 2500",
                day(0) + " invoice.payment_failed hosting invoice #1 issue lost_card",
                day(0) + " subscription.updated hosting past_due",
                day(0) + " invoice.past_due hosting invoice hosting_default due 2500",
                day(0) + " notification.created invoice_issued hosting invoice",
                day(0) + " notification.created payment_failed_1 hosting invoice",
                day(0) + " dunning.step_run hosting invoice 0 notify done");
        Picture day0 = watch.picture("hosting invoice");
        assertThat(day0.invoice()).isEqualTo(new Inv("open", 0, 2500, 1, day(3)));
        assertThat(day0.attempts()).isEqualTo(round(1, 0, "issue"));
        // The outbox: the team invoice and its receipt an hour before; the hosting invoice and the first dunning email.
        String before0 = DAY_0.minus(Duration.ofHours(1)).toString();
        List<Note> notes = new ArrayList<>(List.of(new Note("invoice_issued", RECIPIENT, "team invoice", 1600, 0, before0),
                new Note("invoice_paid", RECIPIENT, "team invoice", 0, 0, before0),
                new Note("invoice_issued", RECIPIENT, "hosting invoice", 2500, 0, day(0)),
                new Note("payment_failed_1", RECIPIENT, "hosting invoice", 2500, 1, day(0))));
        // Messages of one instant may be listed in either order (ids made in one millisecond): compare them as a set.
        assertThat(day0.notes()).containsExactlyInAnyOrderElementsOf(notes);
        assertThat(day0.entitlements()).isEqualTo(new Ent(true, "active", 2500, List.of("hosting invoice"),
                "retry_payment", day(3), null, null, null));
        assertThat(day0.inDunning()).isTrue();
        assertThat(day0.past()).isEqualTo(ranUpTo(0));
        assertThat(day0.upcoming()).isEqualTo(upcomingAfter(0));
        assertThat(day0.subscriptions()).isEqualTo(Map.of("hosting", "past_due", "team", "active"));
        // The team plan's invoice was paid: it is not in dunning, and only the hosting invoice is past due.
        assertThat(watch.invoice("team invoice")).isEqualTo(new Inv("paid", 1600, 0, 1, null));

        List<Attempt> attempts = new ArrayList<>(round(1, 0, "issue"));
        Picture before = day0;
        for (int d = 1; d <= 30; d++) {
            advance(day(d));
            List<String> events = watch.newEvents();
            Picture now = watch.picture("hosting invoice");
            switch (d) {
                case 3 -> {
                    assertThat(events).containsExactlyInAnyOrder(
                            day(3) + " invoice.payment_failed hosting invoice #2 retry lost_card",
                            day(3) + " dunning.step_run hosting invoice 1 retry_payment payment_failed",
                            day(3) + " notification.created payment_failed_2 hosting invoice",
                            day(3) + " dunning.step_run hosting invoice 2 notify done");
                    assertThat(now.invoice()).isEqualTo(new Inv("open", 0, 2500, 2, day(8)));
                    attempts.addAll(round(2, 3, "retry"));
                    notes.add(new Note("payment_failed_2", RECIPIENT, "hosting invoice", 2500, 2, day(3)));
                    assertThat(now.entitlements()).isEqualTo(new Ent(true, "active", 2500, List.of("hosting invoice"),
                            "retry_payment", day(8), null, null, null));
                    assertThat(now.past()).isEqualTo(ranUpTo(2));
                    assertThat(now.upcoming()).isEqualTo(upcomingAfter(2));
                    assertThat(now.subscriptions()).isEqualTo(Map.of("hosting", "past_due", "team", "active"));
                }
                case 8 -> {
                    assertThat(events).containsExactlyInAnyOrder(
                            day(8) + " invoice.payment_failed hosting invoice #3 retry lost_card",
                            day(8) + " dunning.step_run hosting invoice 3 retry_payment payment_failed",
                            day(8) + " notification.created payment_failed_3 hosting invoice",
                            day(8) + " dunning.step_run hosting invoice 4 notify done",
                            day(8) + " account.services_suspended",
                            day(8) + " notification.created services_suspended hosting invoice",
                            day(8) + " subscription.updated hosting suspended",
                            day(8) + " subscription.updated team suspended",
                            day(8) + " dunning.step_run hosting invoice 5 suspend_services done");
                    assertThat(now.invoice()).isEqualTo(new Inv("open", 0, 2500, 3, day(15)));
                    attempts.addAll(round(3, 8, "retry"));
                    notes.add(new Note("payment_failed_3", RECIPIENT, "hosting invoice", 2500, 3, day(8)));
                    notes.add(new Note("services_suspended", RECIPIENT, "hosting invoice", 2500, 3, day(8)));
                    assertThat(now.entitlements()).isEqualTo(new Ent(true, "suspended", 2500, List.of("hosting invoice"),
                            "retry_payment", day(15), null, null, null));
                    assertThat(now.past()).isEqualTo(ranUpTo(5));
                    assertThat(now.upcoming()).isEqualTo(upcomingAfter(5));
                    // "every plan and service of the account is suspended, current ones included"
                    assertThat(now.subscriptions()).isEqualTo(Map.of("hosting", "suspended", "team", "suspended"));
                    assertThat(api.get("/v1/accounts/" + account + "/subscriptions?status=suspended").json().get("data")).hasSize(2);
                }
                case 15 -> {
                    assertThat(events).containsExactlyInAnyOrder(
                            day(15) + " invoice.payment_failed hosting invoice #4 retry lost_card",
                            day(15) + " dunning.step_run hosting invoice 6 retry_payment payment_failed",
                            day(15) + " account.services_canceled",
                            day(15) + " notification.created services_canceled hosting invoice",
                            day(15) + " notification.created data_deletion_scheduled hosting invoice",
                            day(15) + " subscription.canceled hosting canceled",
                            day(15) + " subscription.canceled team canceled",
                            day(15) + " dunning.step_run hosting invoice 7 cancel_services done",
                            day(15) + " account.data_deletion_scheduled purge " + day(29),
                            day(15) + " dunning.step_run hosting invoice 8 schedule_data_deletion done");
                    // No automatic attempt is left; the invoice stays open and owed.
                    assertThat(now.invoice()).isEqualTo(new Inv("open", 0, 2500, 4, null));
                    attempts.addAll(round(4, 15, "retry"));
                    notes.add(new Note("services_canceled", RECIPIENT, "hosting invoice", 2500, 4, day(15)));
                    notes.add(new Note("data_deletion_scheduled", RECIPIENT, "hosting invoice", 2500, 4, day(15)));
                    assertThat(now.entitlements()).isEqualTo(new Ent(true, "canceled", 2500, List.of("hosting invoice"),
                            null, null, day(15), day(29), "restorable"));
                    assertThat(now.inDunning()).isTrue();
                    assertThat(now.past()).isEqualTo(ranUpTo(8));
                    assertThat(now.upcoming()).isEmpty();
                    assertThat(now.subscriptions()).isEqualTo(Map.of("hosting", "canceled", "team", "canceled"));
                }
                case 29 -> {
                    assertThat(events).containsExactly(day(29) + " account.backups_purged",
                            day(29) + " notification.created backups_purged null");
                    notes.add(new Note("backups_purged", RECIPIENT, null, 0, 0, day(29)));
                    assertThat(now.entitlements()).isEqualTo(new Ent(true, "canceled", 2500, List.of("hosting invoice"),
                            null, null, day(15), day(29), "purged"));
                    assertThat(now).usingRecursiveComparison().ignoringFields("entitlements", "notes").isEqualTo(before);
                }
                default -> {
                    assertThat(events).as("day %d", d).isEmpty();
                    assertThat(now).as("day %d changes nothing", d).isEqualTo(before);
                }
            }
            assertThat(now.attempts()).as("day %d", d).isEqualTo(attempts);
            assertThat(now.notes()).as("day %d", d).containsExactlyInAnyOrderElementsOf(notes);
            before = now;
        }
        // Nothing else was charged, ever: the team invoice kept its one successful charge.
        assertThat(watch.attempts("team invoice")).containsExactly(
                new Attempt(1, 0, "visa", 1600, "succeeded", null, "issue", DAY_0.minus(Duration.ofHours(1)).toString()));
    }

    /**
     * Days are calendar days in the account's zone, at the wall-clock time it became past due (SPEC §6 counts days;
     * a day across a DST change is 23 hours). New York moves to EDT on 10 March 2030: an account past due at 10:00 EST
     * on 24 February is canceled at 10:00 EDT on 11 March (14:00Z), and the backups of one whose data was deleted at
     * 10:00 EST on 27 February are purged 14 days later at 10:00 EDT on 13 March, not 24 × 14 hours later.
     */
    @Test
    void stepDatesAndTheBackupRetentionCountDaysInTheAccountsZoneAcrossADaylightSavingChange() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-02-12T15:00:00Z"));
        String hosting = Fixtures.flatPlan(api, "usd");
        String early = api.newAccount("Early", "usd", "America/New_York");
        Fixtures.attachCard(api, early, "tok_chargeDeclinedExpiredCard");
        ok(api.post("/v1/accounts/" + early + "/subscriptions", "{\"plan\":\"" + hosting + "\"}"));
        advance("2030-02-12T15:00:00Z");

        advance("2030-02-24T15:00:00Z");
        String late = api.newAccount("Late", "usd", "America/New_York");
        Dunned watch = new Dunned(api, late);
        watch.name(Fixtures.attachCard(api, late, "tok_chargeDeclinedExpiredCard"), "card");
        ok(api.post("/v1/accounts/" + late + "/subscriptions", "{\"plan\":\"" + hosting + "\"}"));
        advance("2030-02-24T15:00:00Z");
        watch.name(api.get("/v1/accounts/" + late + "/invoices").json().at("/data/0/id").asText(), "invoice");
        assertThat(watch.upcoming().stream().map(s -> s.step() + " " + s.dueAt()).toList()).containsExactly(
                "1 2030-02-27T15:00:00Z", "2 2030-02-27T15:00:00Z",
                "3 2030-03-04T15:00:00Z", "4 2030-03-04T15:00:00Z", "5 2030-03-04T15:00:00Z",
                "6 2030-03-11T14:00:00Z", "7 2030-03-11T14:00:00Z", "8 2030-03-11T14:00:00Z");

        advance("2030-03-11T13:59:59Z");
        assertThat(watch.entitlements().services()).isEqualTo("suspended");
        assertThat(watch.entitlements().nextDueAt()).isEqualTo("2030-03-11T14:00:00Z");
        advance("2030-03-11T14:00:00Z");
        assertThat(watch.entitlements()).isEqualTo(new Ent(true, "canceled", 2500, List.of("invoice"), null, null,
                "2030-03-11T14:00:00Z", "2030-03-25T14:00:00Z", "restorable"));
        assertThat(watch.attempts("invoice").stream().map(a -> a.attempt() + " " + a.at()).toList()).containsExactly(
                "1 2030-02-24T15:00:00Z", "2 2030-02-27T15:00:00Z", "3 2030-03-04T15:00:00Z", "4 2030-03-11T14:00:00Z");
        assertThat(watch.past()).allSatisfy(s -> assertThat(s.ranAt()).isEqualTo(s.dueAt()));

        Dunned earlier = new Dunned(api, early);
        assertThat(earlier.entitlements()).isEqualTo(new Ent(true, "canceled", 2500,
                List.of(api.get("/v1/accounts/" + early + "/invoices").json().at("/data/0/id").asText()), null, null,
                "2030-02-27T15:00:00Z", "2030-03-13T14:00:00Z", "restorable"));
        earlier.newEvents();
        advance("2030-03-13T13:59:59Z");
        assertThat(earlier.newEvents()).isEmpty();
        assertThat(earlier.entitlements().backups()).isEqualTo("restorable");
        advance("2030-03-13T14:00:00Z");
        assertThat(earlier.newEvents()).containsExactly("2030-03-13T14:00:00Z account.backups_purged",
                "2030-03-13T14:00:00Z notification.created backups_purged null");
        assertThat(earlier.entitlements().backups()).isEqualTo("purged");
    }
}

package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Dunned;
import tollgate.testing.Dunned.Attempt;
import tollgate.testing.Dunned.Inv;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * SPEC §5: "On issue, an invoice is charged to the primary method; if that fails, to each other method in order —
 * that whole round is one payment attempt", every charge recorded with its method, outcome, decline reason and gateway
 * id; {@code POST /v1/invoices/{id}/pay} (optionally naming a method) and {@code record_payment}; a zero total paid
 * without a charge. And the refusals of issue #5, each changing nothing: paying a paid or void invoice (409), a method
 * of another account (404), no method at all (402 payment_method_required), a wire of a negative, zero or
 * larger-than-due amount (422). A declined pay is 402 card_declined with its charge on record.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class PaymentRoundsTest {
    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

    @Parameter
    TestDatabase database;
    ApiClient api;
    String hosting;

    private static String day(int n) {
        return NOW.plus(Duration.ofDays(n)).toString();
    }

    @BeforeEach
    void tenant() {
        api = Scenario.tenantAt(TestServer.on(database), NOW);
        hosting = Fixtures.flatPlan(api, "usd");
    }

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    /** An account with these cards (the first primary), named as given. */
    private Dunned account(String name, Map<String, String> cardsByName) {
        String account = api.newAccount(name, "usd", "UTC");
        Dunned watch = new Dunned(api, account);
        cardsByName.forEach((cardName, token) -> watch.name(Fixtures.attachCard(api, account, token), cardName));
        return watch;
    }

    /** Subscribes to the hosting plan (25.00) and runs the charge at issue; the invoice is named "invoice". */
    private String subscribeAndCharge(Dunned watch, String body) {
        Res sub = api.post("/v1/accounts/" + watch.account + "/subscriptions", body);
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        watch.name(sub.str("id"), "hosting");
        advance(NOW.toString());
        String invoice = api.get("/v1/accounts/" + watch.account + "/invoices").json().at("/data/0/id").asText();
        watch.name(invoice, "invoice");
        return invoice;
    }

    private String subscribeAndCharge(Dunned watch) {
        return subscribeAndCharge(watch, "{\"plan\":\"" + hosting + "\"}");
    }

    /** What a refused call must leave alone: the invoice as read, its charges, its payments and the account's events. */
    private record Untouched(JsonNode invoice, JsonNode attempts, JsonNode payments, List<String> events) {}

    private Untouched untouched(Dunned watch, String invoice) {
        return new Untouched(api.get("/v1/invoices/" + invoice).json(), api.get("/v1/invoices/" + invoice + "/payment_attempts").json(),
                api.get("/v1/invoices/" + invoice + "/payments").json(), watch.newEvents());
    }

    private void assertRefused(Res r, int status, String code, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.code()).as(r.text()).isEqualTo(code);
        if (field != null) assertThat(r.str("field")).isEqualTo(field);
        assertThat(r.header("content-type")).startsWith("application/problem+json");
    }

    @Test
    void aRoundChargesThePrimaryThenEachOtherMethodInOrderAndStopsAtTheFirstSuccess() {
        Dunned watch = account("Four cards", Map.of());
        for (String[] card : List.of(new String[] {"expired", "tok_chargeDeclinedExpiredCard"}, new String[] {"lost", "tok_chargeDeclinedLostCard"},
                new String[] {"mastercard", "tok_mastercard"}, new String[] {"visa", "tok_visa"}))
            watch.name(Fixtures.attachCard(api, watch.account, card[1]), card[0]);
        // The lost card becomes primary: it goes first, then the others in the order they were added.
        assertThat(api.post("/v1/payment_methods/" + watch.id("lost") + "/make_primary", null).status()).isEqualTo(200);
        watch.newEvents();

        subscribeAndCharge(watch);

        assertThat(watch.attempts("invoice")).containsExactly(
                new Attempt(1, 0, "lost", 2500, "declined", "lost_card", "issue", NOW.toString()),
                new Attempt(1, 1, "expired", 2500, "declined", "expired_card", "issue", NOW.toString()),
                new Attempt(1, 2, "mastercard", 2500, "succeeded", null, "issue", NOW.toString()));
        JsonNode attempts = api.get("/v1/invoices/" + watch.id("invoice") + "/payment_attempts").json().get("data");
        List<String> gatewayIds = new java.util.ArrayList<>();
        attempts.forEach(a -> gatewayIds.add(a.get("gateway_id").asText()));
        assertThat(gatewayIds).allMatch(id -> id.startsWith("ch_")).doesNotHaveDuplicates();
        attempts.forEach(a -> {
            assertThat(a.get("gateway").asText()).isEqualTo("sandbox");
            assertThat(a.get("resolved_at").asText()).isEqualTo(NOW.toString());
        });

        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("paid", 2500, 0, 1, null));
        JsonNode payments = api.get("/v1/invoices/" + watch.id("invoice") + "/payments").json().get("data");
        assertThat(payments).hasSize(1);
        assertThat(payments.get(0).get("method").asText()).isEqualTo("card");
        assertThat(payments.get(0).get("amount").asLong()).isEqualTo(2500);
        // Newest first: the third card, which paid, leads the list.
        assertThat(payments.get(0).get("payment_attempt").asText()).isEqualTo(attempts.get(0).get("id").asText());
        // Paged as every list (SPEC §8): two, then the first card's after the second's.
        String path = "/v1/invoices/" + watch.id("invoice") + "/payment_attempts";
        JsonNode two = api.get(path + "?limit=2").json();
        assertThat(two.get("data")).extracting(a -> a.get("position").asInt()).containsExactly(2, 1);
        assertThat(two.get("has_more").asBoolean()).isTrue();
        JsonNode last = api.get(path + "?limit=2&starting_after=" + two.at("/data/1/id").asText()).json();
        assertThat(last.get("data")).extracting(a -> a.get("position").asInt()).containsExactly(0);
        assertThat(last.get("has_more").asBoolean()).isFalse();
        assertThat(api.get(path + "?starting_after=pa_nothing").status()).isEqualTo(404);
        assertThat(api.get("/v1/invoices/" + watch.id("invoice") + "/payments?limit=1").json().get("has_more").asBoolean()).isFalse();
        // One round that ended paid: no failure, no dunning.
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(
                NOW + " subscription.created hosting active",
                NOW + " invoice.issued invoice open due 2500",
                NOW + " invoice.paid invoice paid due 0",
                NOW + " notification.created invoice_issued invoice",
                NOW + " notification.created invoice_paid invoice");
        assertThat(watch.timeline().get("in_dunning").asBoolean()).isFalse();
        assertThat(watch.past()).isEmpty();
        // No dunning email: the invoice and its receipt only.
        assertThat(watch.notes()).extracting(Dunned.Note::template).containsExactlyInAnyOrder("invoice_issued", "invoice_paid");
    }

    @Test
    void aCardThatDeclinesOnlyOnceFailsAtIssueAndIsPaidByTheRetryOnDay3() {
        Dunned watch = account("Once", Map.of("once", "tok_chargeDeclinedOnce"));
        subscribeAndCharge(watch);
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("open", 0, 2500, 1, day(3)));
        watch.newEvents();

        advance(day(3));
        assertThat(watch.attempts("invoice")).containsExactly(
                new Attempt(1, 0, "once", 2500, "declined", "generic_decline", "issue", day(0)),
                new Attempt(2, 0, "once", 2500, "succeeded", null, "retry", day(3)));
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("paid", 2500, 0, 2, null));
        // The notify step of day 3 finds the invoice paid and does nothing: no second email.
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(
                day(3) + " invoice.paid invoice paid due 0",
                day(3) + " notification.created invoice_paid invoice",
                day(3) + " subscription.updated hosting active",
                day(3) + " account.dunning_ended invoice",
                day(3) + " dunning.step_run invoice 1 retry_payment payment_succeeded");
        assertThat(watch.notes()).extracting(Dunned.Note::template).containsExactlyInAnyOrder("invoice_issued", "payment_failed_1", "invoice_paid");
        assertThat(watch.past()).extracting(s -> s.step() + " " + s.outcome()).containsExactly("0 done", "1 payment_succeeded");
        assertThat(watch.subscriptions()).isEqualTo(Map.of("hosting", "active"));

        advance(day(16));
        assertThat(watch.newEvents()).isEmpty();
    }

    @Test
    void anInvoiceWithAZeroTotalIsPaidWithoutACharge() {
        Res coupon = api.post("/v1/coupons", "{\"percent_off\":100,\"duration\":\"forever\"}");
        assertThat(coupon.status()).as(coupon.text()).isEqualTo(200);
        // A card that declines every charge: had anything been charged, it would show.
        Dunned watch = account("Free", Map.of("declining", "tok_chargeDeclined"));
        watch.newEvents();
        String invoice = subscribeAndCharge(watch, "{\"plan\":\"" + hosting + "\",\"coupon\":\"" + coupon.str("id") + "\"}");

        JsonNode free = api.get("/v1/invoices/" + invoice).json();
        assertThat(free.get("subtotal").asLong()).isEqualTo(2500);
        assertThat(free.get("discount").asLong()).isEqualTo(2500);
        assertThat(free.get("total").asLong()).isZero();
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("paid", 0, 0, 0, null));
        assertThat(watch.attempts("invoice")).isEmpty();
        assertThat(api.get("/v1/invoices/" + invoice + "/payments").json().get("data")).isEmpty();
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(
                NOW + " subscription.created hosting active",
                NOW + " invoice.issued invoice open due 0",
                NOW + " invoice.paid invoice paid due 0");
        assertThat(watch.entitlements().pastDueAmount()).isZero();
    }

    @Test
    void payNamingAMethodChargesThatMethodOnlyAndADeclineIs402WithItsChargeOnRecord() {
        Dunned watch = account("Chooser", Map.of("funds", "tok_chargeDeclinedInsufficientFunds"));
        String invoice = subscribeAndCharge(watch);
        watch.name(Fixtures.attachCard(api, watch.account, "tok_visa"), "visa");
        watch.name(Fixtures.attachCard(api, watch.account, "tok_mastercard"), "mastercard");
        advance(day(1));
        watch.newEvents();

        Res declined = api.post("/v1/invoices/" + invoice + "/pay", "{\"payment_method\":\"" + watch.id("funds") + "\"}");
        assertRefused(declined, 402, "card_declined", null);
        assertThat(declined.json().get("detail").asText()).contains("insufficient_funds");
        // The declined charge is on record and counts as round 2; the good cards were not tried.
        assertThat(watch.attempts("invoice")).containsExactly(
                new Attempt(1, 0, "funds", 2500, "declined", "insufficient_funds", "issue", day(0)),
                new Attempt(2, 0, "funds", 2500, "declined", "insufficient_funds", "pay", day(1)));
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("open", 0, 2500, 2, day(3)));
        assertThat(watch.newEvents()).containsExactly(day(1) + " invoice.payment_failed invoice #2 pay insufficient_funds");

        Res paid = api.post("/v1/invoices/" + invoice + "/pay", "{\"payment_method\":\"" + watch.id("mastercard") + "\"}");
        assertThat(paid.status()).as(paid.text()).isEqualTo(200);
        assertThat(paid.str("status")).isEqualTo("paid");
        assertThat(watch.attempts("invoice")).last()
                .isEqualTo(new Attempt(3, 0, "mastercard", 2500, "succeeded", null, "pay", day(1)));
        assertThat(watch.attempts("invoice")).extracting(Attempt::method).doesNotContain("visa");
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("paid", 2500, 0, 3, null));
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(
                day(1) + " invoice.paid invoice paid due 0",
                day(1) + " notification.created invoice_paid invoice",
                day(1) + " subscription.updated hosting active",
                day(1) + " account.dunning_ended invoice");
    }

    @Test
    void payingAPaidOrAVoidInvoiceIs409AndChangesNothing() {
        Dunned payer = account("Payer", Map.of("visa", "tok_visa"));
        String paid = subscribeAndCharge(payer);
        assertThat(payer.invoice("invoice")).isEqualTo(new Inv("paid", 2500, 0, 1, null));
        Untouched before = untouched(payer, paid);
        assertRefused(api.post("/v1/invoices/" + paid + "/pay", null), 409, "invoice_not_open", null);
        assertRefused(api.post("/v1/invoices/" + paid + "/pay", "{\"payment_method\":\"" + payer.id("visa") + "\"}"),
                409, "invoice_not_open", null);
        assertRefused(api.post("/v1/invoices/" + paid + "/record_payment", "{\"amount\":100,\"method\":\"wire\",\"reference\":\"TRF-1\"}"),
                409, "invoice_not_open", null);
        assertThat(untouched(payer, paid)).isEqualTo(new Untouched(before.invoice(), before.attempts(), before.payments(), List.of()));

        Dunned voided = account("Voided", Map.of("declining", "tok_chargeDeclined"));
        String open = subscribeAndCharge(voided);
        Res v = api.post("/v1/invoices/" + open + "/void", null);
        assertThat(v.status()).as(v.text()).isEqualTo(200);
        voided.newEvents();
        Untouched beforeVoid = untouched(voided, open);
        assertThat(beforeVoid.invoice().get("status").asText()).isEqualTo("void");
        assertRefused(api.post("/v1/invoices/" + open + "/pay", null), 409, "invoice_not_open", null);
        assertRefused(api.post("/v1/invoices/" + open + "/record_payment", "{\"amount\":2500,\"method\":\"wire\",\"reference\":\"TRF-1\"}"),
                409, "invoice_not_open", null);
        assertThat(untouched(voided, open)).isEqualTo(new Untouched(beforeVoid.invoice(), beforeVoid.attempts(),
                beforeVoid.payments(), List.of()));
    }

    @Test
    void payingWithAMethodOfAnotherAccountOrTenantIs404AndChargesNobody() {
        Dunned owner = account("Owner", Map.of("declining", "tok_chargeDeclined"));
        String invoice = subscribeAndCharge(owner);
        Dunned neighbour = account("Neighbour", Map.of("their visa", "tok_visa"));
        String theirs = neighbour.id("their visa");
        ApiClient stranger = TestServer.on(database).newTenant();
        String strangersCard = Fixtures.attachCard(stranger, stranger.newAccount("Elsewhere", "usd", "UTC"), "tok_visa");
        Untouched before = untouched(owner, invoice);

        assertRefused(api.post("/v1/invoices/" + invoice + "/pay", "{\"payment_method\":\"" + theirs + "\"}"),
                404, "resource_missing", "payment_method");
        assertRefused(api.post("/v1/invoices/" + invoice + "/pay", "{\"payment_method\":\"pm_nope\"}"),
                404, "resource_missing", "payment_method");
        // A card the owner removed is no longer its to charge.
        String removed = Fixtures.attachCard(api, owner.account, "tok_visa");
        assertThat(api.delete("/v1/payment_methods/" + removed).status()).isEqualTo(200);
        owner.newEvents();
        assertRefused(api.post("/v1/invoices/" + invoice + "/pay", "{\"payment_method\":\"" + removed + "\"}"),
                404, "resource_missing", "payment_method");
        assertRefused(api.post("/v1/invoices/" + invoice + "/pay", "{\"payment_method\":7}"), 422, "invalid_type", "payment_method");
        assertRefused(api.post("/v1/invoices/" + invoice + "/pay", "{\"amount\":2500}"), 422, "unknown_field", "amount");
        assertRefused(api.post("/v1/invoices/inv_nope/pay", null), 404, "resource_missing", null);
        assertThat(untouched(owner, invoice)).isEqualTo(new Untouched(before.invoice(), before.attempts(), before.payments(), List.of()));
        assertThat(neighbour.newEvents()).noneMatch(e -> e.contains("invoice.") || e.contains("payment_failed"));

        // Another tenant's key does not find the invoice, and its card cannot be named for it.
        assertRefused(stranger.post("/v1/invoices/" + invoice + "/pay", null), 404, "resource_missing", null);
        assertRefused(stranger.post("/v1/invoices/" + invoice + "/record_payment", "{\"amount\":100,\"method\":\"wire\",\"reference\":\"TRF-1\"}"),
                404, "resource_missing", null);
        assertRefused(api.post("/v1/invoices/" + invoice + "/pay", "{\"payment_method\":\"" + strangersCard + "\"}"),
                404, "resource_missing", "payment_method");
        assertThat(untouched(owner, invoice)).isEqualTo(new Untouched(before.invoice(), before.attempts(), before.payments(), List.of()));
    }

    @Test
    void payingWithoutAnyPaymentMethodIs402PaymentMethodRequired() {
        Dunned bare = account("Bare", Map.of());
        // Without a card only an invoice sent to be paid can be had (decision 022); due at once, it is past due at once.
        String invoice = subscribeAndCharge(bare, "{\"plan\":\"" + hosting + "\",\"collection_method\":\"send_invoice\",\"days_until_due\":0}");
        // Nothing could be charged at issue: past due from the issue, no attempt, no round counted.
        assertThat(bare.invoice("invoice")).isEqualTo(new Inv("open", 0, 2500, 0, day(3)));
        Untouched before = untouched(bare, invoice);
        assertThat(before.attempts().get("data")).isEmpty();

        assertRefused(api.post("/v1/invoices/" + invoice + "/pay", null), 402, "payment_method_required", null);
        assertThat(untouched(bare, invoice)).isEqualTo(new Untouched(before.invoice(), before.attempts(), before.payments(), List.of()));

        // The day-3 retry finds no method either, and says so in the timeline.
        advance(day(3));
        assertThat(bare.past()).extracting(s -> s.step() + " " + s.action() + " " + s.outcome())
                .startsWith("0 notify done", "1 retry_payment no_payment_method");
        assertThat(bare.invoice("invoice")).isEqualTo(new Inv("open", 0, 2500, 0, day(8)));
    }

    @Test
    void recordPaymentRefusesANegativeZeroOrLargerThanDueAmountAndChangesNothing() {
        Dunned watch = account("Wirer", Map.of("declining", "tok_chargeDeclined"));
        String invoice = subscribeAndCharge(watch);
        Untouched before = untouched(watch, invoice);
        String path = "/v1/invoices/" + invoice + "/record_payment";

        for (long amount : new long[] {-1, 0, 2501, Long.MAX_VALUE})
            assertRefused(api.post(path, "{\"amount\":" + amount + ",\"method\":\"wire\",\"reference\":\"TRF-1\"}"), 422, "amount_invalid", "amount");
        assertRefused(api.post(path, "{\"method\":\"wire\",\"reference\":\"TRF-1\"}"), 422, "parameter_missing", "amount");
        assertRefused(api.post(path, "{\"amount\":100}"), 422, "parameter_missing", "method");
        assertRefused(api.post(path, "{\"amount\":100,\"method\":\"bitcoin\"}"), 422, "parameter_invalid", "method");
        assertRefused(api.post(path, "{\"amount\":\"100\",\"method\":\"wire\",\"reference\":\"TRF-1\"}"), 422, "invalid_type", "amount");
        assertRefused(api.post(path, "{\"amount\":100,\"method\":\"wire\",\"reference\":\"\"}"), 422, "parameter_invalid", "reference");
        assertRefused(api.post(path, "{\"amount\":100,\"method\":\"wire\"}"), 422, "parameter_missing", "reference");
        assertThat(untouched(watch, invoice)).isEqualTo(new Untouched(before.invoice(), before.attempts(), before.payments(), List.of()));

        // The exact amount due is accepted.
        Res wire = api.post(path, "{\"amount\":2500,\"method\":\"wire\",\"reference\":\"WT-1\"}");
        assertThat(wire.status()).as(wire.text()).isEqualTo(200);
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("paid", 2500, 0, 1, null));
    }

    @Test
    void aPayRetriedWithTheSameIdempotencyKeyIsAnsweredAgainWithoutAnotherCharge() {
        Dunned watch = account("Retrier", Map.of("funds", "tok_chargeDeclinedInsufficientFunds"));
        String invoice = subscribeAndCharge(watch);
        watch.name(Fixtures.attachCard(api, watch.account, "tok_visa"), "visa");
        watch.newEvents();
        String path = "/v1/invoices/" + invoice + "/pay";

        Res declined = api.post(path, "{\"payment_method\":\"" + watch.id("funds") + "\"}", Map.of("Idempotency-Key", "pay-1"));
        assertRefused(declined, 402, "card_declined", null);
        Res replayed = api.post(path, "{\"payment_method\":\"" + watch.id("funds") + "\"}", Map.of("Idempotency-Key", "pay-1"));
        assertThat(replayed.status()).isEqualTo(402);
        assertThat(replayed.text()).isEqualTo(declined.text());
        assertThat(watch.attempts("invoice")).hasSize(2);

        Res paid = api.post(path, "{}", Map.of("Idempotency-Key", "pay-2"));
        assertThat(paid.status()).as(paid.text()).isEqualTo(200);
        Res again = api.post(path, "{}", Map.of("Idempotency-Key", "pay-2"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text()).isEqualTo(paid.text());
        // The pay round tried the primary (declined) and then the visa (paid): three rounds, four charges in all.
        assertThat(watch.attempts("invoice")).containsExactly(
                new Attempt(1, 0, "funds", 2500, "declined", "insufficient_funds", "issue", NOW.toString()),
                new Attempt(2, 0, "funds", 2500, "declined", "insufficient_funds", "pay", NOW.toString()),
                new Attempt(3, 0, "funds", 2500, "declined", "insufficient_funds", "pay", NOW.toString()),
                new Attempt(3, 1, "visa", 2500, "succeeded", null, "pay", NOW.toString()));
        assertThat(api.get("/v1/invoices/" + invoice + "/payments").json().get("data")).hasSize(1);

        Res otherBody = api.post(path, "{\"payment_method\":\"" + watch.id("visa") + "\"}", Map.of("Idempotency-Key", "pay-2"));
        assertThat(otherBody.status()).as(otherBody.text()).isEqualTo(409);
    }

    @Test
    void payingOneInvoiceFromManyClientsAtOnceChargesItOnce() throws Exception {
        Dunned watch = account("Racer", Map.of("funds", "tok_chargeDeclinedInsufficientFunds"));
        String invoice = subscribeAndCharge(watch);
        watch.name(Fixtures.attachCard(api, watch.account, "tok_visa"), "visa");
        int clients = 6;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(clients + 1);
        List<java.util.concurrent.Future<Res>> answers = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(clients + 1)) {
            for (int i = 0; i < clients; i++) {
                boolean wire = i % 3 == 2;
                answers.add(pool.submit(() -> {
                    start.await();
                    return wire ? api.post("/v1/invoices/" + invoice + "/record_payment", "{\"amount\":2500,\"method\":\"wire\",\"reference\":\"TRF-1\"}")
                            : api.post("/v1/invoices/" + invoice + "/pay", "{\"payment_method\":\"" + watch.id("visa") + "\"}");
                }));
            }
            start.await();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var f : answers) statuses.add(f.get().status());
            // Exactly one of them pays; every other finds the invoice paid.
            assertThat(statuses).as(statuses.toString()).containsOnly(200, 409);
            assertThat(statuses).filteredOn(st -> st == 200).hasSize(1);
        }
        assertThat(watch.invoice("invoice").amountPaid()).isEqualTo(2500);
        assertThat(watch.invoice("invoice").status()).isEqualTo("paid");
        assertThat(api.get("/v1/invoices/" + invoice + "/payments").json().get("data")).hasSize(1);
        assertThat(watch.attempts("invoice")).filteredOn(a -> a.status().equals("succeeded")).hasSizeLessThanOrEqualTo(1);
        assertThat(watch.newEvents()).filteredOn(e -> e.contains("invoice.paid")).hasSize(1);
    }
}

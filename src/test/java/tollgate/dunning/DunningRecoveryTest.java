package tollgate.dunning;

import static org.assertj.core.api.Assertions.assertThat;

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
import tollgate.testing.Dunned.Ent;
import tollgate.testing.Dunned.Inv;
import tollgate.testing.Dunned.Picture;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * SPEC §6: "A successful payment of all past-due invoices ends dunning and lifts blocks and suspensions (not
 * cancellations or revocations)", and issue #5's statuses: active → past_due → suspended → canceled, back to active on
 * payment where allowed; a canceled account subscribes again only after paying what it owes (402 past_due_invoices).
 * Each test runs {@code hosting_default} from 10:00 UTC on 1 January 2030 on an account whose only card has
 * insufficient funds and a hosting plan (25.00) bought that moment.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class DunningRecoveryTest {
    private static final Instant DAY_0 = Instant.parse("2030-01-01T10:00:00Z");
    private static final Ent CLEAN = new Ent(true, "active", 0, List.of(), null, null, null, null, null);

    @Parameter
    TestDatabase database;
    ApiClient api;
    Dunned watch;
    String account;
    String hosting;

    private static String day(int n) {
        return DAY_0.plus(Duration.ofDays(n)).toString();
    }

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private Res subscribe(String plan) {
        return api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}");
    }

    /** Day 0: the plan is bought and its invoice's first charge declined; dunning begins. */
    @BeforeEach
    void pastDue() {
        api = Scenario.tenantAt(TestServer.on(database), DAY_0);
        hosting = Fixtures.flatPlan(api, "usd");
        account = api.newAccount("Shop", "usd", "UTC");
        watch = new Dunned(api, account);
        watch.name(Fixtures.attachCard(api, account, "tok_chargeDeclinedInsufficientFunds"), "funds card");
        Res sub = subscribe(hosting);
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        watch.name(sub.str("id"), "hosting");
        advance(day(0));
        watch.name(api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText(), "invoice");
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("open", 0, 2500, 1, day(3)));
        watch.newEvents();
    }

    private static Attempt declined(int round, int day, String reason, long amount) {
        return new Attempt(round, 0, "funds card", amount, "declined", "insufficient_funds", reason, day(day));
    }

    @Test
    void aNewCardMadePrimaryAndPaidOnDay5EndsDunningAndLaterStepsDoNothing() {
        advance(day(5));
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("open", 0, 2500, 2, day(8)));
        watch.newEvents();

        String visa = Fixtures.attachCard(api, account, "tok_visa");
        watch.name(visa, "visa");
        Res primary = api.post("/v1/payment_methods/" + visa + "/make_primary", null);
        assertThat(primary.json().get("primary").asBoolean()).isTrue();
        Res paid = api.post("/v1/invoices/" + watch.id("invoice") + "/pay", null);
        assertThat(paid.status()).as(paid.text()).isEqualTo(200);
        assertThat(paid.str("status")).isEqualTo("paid");

        // The pay is round 3: the new primary first, and it succeeds, so the old card is not charged.
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("paid", 2500, 0, 3, null));
        assertThat(watch.attempts("invoice")).containsExactly(declined(1, 0, "issue", 2500), declined(2, 3, "retry", 2500),
                new Attempt(3, 0, "visa", 2500, "succeeded", null, "pay", day(5)));
        assertThat(watch.newEvents()).filteredOn(e -> !e.contains("payment_method.")).containsExactlyInAnyOrder(
                day(5) + " invoice.paid invoice paid due 0",
                day(5) + " notification.created invoice_paid invoice",
                day(5) + " subscription.updated hosting active",
                day(5) + " account.dunning_ended invoice");
        Picture ended = watch.picture("invoice");
        assertThat(ended.entitlements()).isEqualTo(CLEAN);
        assertThat(ended.inDunning()).isFalse();
        assertThat(ended.upcoming()).isEmpty();
        assertThat(ended.past()).extracting(Dunned.Step::step).containsExactly(0, 1, 2);
        assertThat(ended.notes()).extracting(Dunned.Note::template)
                .containsExactly("invoice_issued", "payment_failed_1", "payment_failed_2", "invoice_paid");
        assertThat(ended.subscriptions()).isEqualTo(Map.of("hosting", "active"));

        // Days 8 and 15 come and go: no charge, no message, no suspension, no cancellation.
        advance(day(16));
        assertThat(watch.newEvents()).isEmpty();
        assertThat(watch.picture("invoice")).isEqualTo(ended);
    }

    @Test
    void aWireForEverythingOnDay10AfterTheSuspensionOnDay8RestoresServicesAndSubscriptions() {
        advance(day(8));
        assertThat(watch.entitlements().services()).isEqualTo("suspended");
        assertThat(watch.subscriptions()).isEqualTo(Map.of("hosting", "suspended"));
        watch.newEvents();

        advance(day(10));
        // Suspended and owing: no new plan until it pays.
        Res refused = subscribe(hosting);
        assertThat(refused.status()).as(refused.text()).isEqualTo(402);
        assertThat(refused.code()).isEqualTo("past_due_invoices");
        assertThat(watch.subscriptions()).isEqualTo(Map.of("hosting", "suspended"));
        assertThat(watch.newEvents()).isEmpty();

        Res wire = api.post("/v1/invoices/" + watch.id("invoice") + "/record_payment",
                "{\"amount\":2500,\"method\":\"wire\",\"reference\":\"WT-42\"}");
        assertThat(wire.status()).as(wire.text()).isEqualTo(200);
        assertThat(wire.str("status")).isEqualTo("paid");
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("paid", 2500, 0, 3, null));
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(
                day(10) + " invoice.paid invoice paid due 0",
                day(10) + " notification.created invoice_paid invoice",
                day(10) + " account.services_restored",
                day(10) + " notification.created services_restored null",
                day(10) + " subscription.updated hosting active",
                day(10) + " account.dunning_ended invoice");
        Picture ended = watch.picture("invoice");
        assertThat(ended.entitlements()).isEqualTo(CLEAN);
        assertThat(ended.subscriptions()).isEqualTo(Map.of("hosting", "active"));
        assertThat(ended.inDunning()).isFalse();
        assertThat(ended.upcoming()).isEmpty();
        assertThat(ended.attempts()).containsExactly(declined(1, 0, "issue", 2500), declined(2, 3, "retry", 2500),
                declined(3, 8, "retry", 2500));

        advance(day(16));
        assertThat(watch.newEvents()).isEmpty();
        assertThat(watch.picture("invoice")).isEqualTo(ended);
    }

    @Test
    void aPartialWireLeavesTheInvoiceInDunningAndTheNextRetryChargesWhatIsLeft() {
        advance(day(10));
        watch.newEvents();
        Res part = api.post("/v1/invoices/" + watch.id("invoice") + "/record_payment", "{\"amount\":1000,\"method\":\"wire\",\"reference\":\"TRF-1\"}");
        assertThat(part.status()).as(part.text()).isEqualTo(200);
        assertThat(part.str("status")).isEqualTo("open");
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("open", 1000, 1500, 3, day(15)));
        assertThat(watch.newEvents()).containsExactly(day(10) + " invoice.updated invoice open due 1500");
        assertThat(watch.entitlements()).isEqualTo(new Ent(true, "suspended", 1500, List.of("invoice"), "retry_payment", day(15),
                null, null, null));
        assertThat(watch.subscriptions()).isEqualTo(Map.of("hosting", "suspended"));
        assertThat(watch.timeline().get("past_due_amount").asLong()).isEqualTo(1500);

        advance(day(15));
        assertThat(watch.attempts("invoice")).last().isEqualTo(declined(4, 15, "retry", 1500));
        assertThat(watch.entitlements().services()).isEqualTo("canceled");
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("open", 1000, 1500, 4, null));
    }

    @Test
    void aCanceledAccountSubscribesAgainOnlyAfterPayingWhatItOwes() {
        advance(day(16));
        assertThat(watch.entitlements().services()).isEqualTo("canceled");
        assertThat(watch.subscriptions()).isEqualTo(Map.of("hosting", "canceled"));
        watch.newEvents();

        Res refused = subscribe(hosting);
        assertThat(refused.status()).as(refused.text()).isEqualTo(402);
        assertThat(refused.code()).isEqualTo("past_due_invoices");
        assertThat(watch.subscriptions()).as("nothing was created").isEqualTo(Map.of("hosting", "canceled"));
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).hasSize(1);
        assertThat(watch.newEvents()).isEmpty();

        String visa = Fixtures.attachCard(api, account, "tok_visa");
        watch.name(visa, "visa");
        Res paid = api.post("/v1/invoices/" + watch.id("invoice") + "/pay", "{\"payment_method\":\"" + visa + "\"}");
        assertThat(paid.status()).as(paid.text()).isEqualTo(200);
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("paid", 2500, 0, 5, null));
        assertThat(watch.newEvents()).filteredOn(e -> !e.contains("payment_method.")).containsExactlyInAnyOrder(
                day(16) + " invoice.paid invoice paid due 0",
                day(16) + " notification.created invoice_paid invoice",
                day(16) + " account.dunning_ended invoice");
        // Paying lifts no cancellation: services stay canceled, and so does the subscription.
        Ent paidUp = watch.entitlements();
        assertThat(paidUp.services()).isEqualTo("canceled");
        assertThat(paidUp.pastDueAmount()).isZero();
        assertThat(paidUp.nextAction()).isNull();
        assertThat(paidUp.dataDeletedAt()).isEqualTo(day(15));
        assertThat(watch.subscriptions()).isEqualTo(Map.of("hosting", "canceled"));

        Res again = subscribe(hosting);
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.str("status")).isEqualTo("active");
        watch.name(again.str("id"), "hosting again");
        advance(day(16));
        assertThat(watch.subscriptions()).isEqualTo(Map.of("hosting", "canceled", "hosting again", "active"));
        assertThat(watch.entitlements().services()).isEqualTo("active");
        // A fresh start: the old data deletion is history (its events stay), not a state of the new services.
        assertThat(watch.entitlements().dataDeletedAt()).isNull();
        String second = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
        watch.name(second, "second invoice");
        assertThat(watch.invoice("second invoice")).isEqualTo(new Inv("paid", 2500, 0, 1, null));
        assertThat(watch.newEvents()).filteredOn(e -> !e.contains("invoice.issued")).containsExactlyInAnyOrder(
                day(16) + " account.services_restored",
                day(16) + " subscription.created hosting again active",
                day(16) + " notification.created invoice_issued second invoice",
                day(16) + " invoice.paid second invoice paid due 0",
                day(16) + " notification.created invoice_paid second invoice");
    }

    @Test
    void payingOneOfTwoPastDueInvoicesLeavesTheAccountInDunningUntilTheOtherIsPaid() {
        advance(day(1));
        String backups = api.post("/v1/plans", "{\"name\":\"Backups\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":900}").str("id");
        watch.name(subscribe(backups).str("id"), "backups");
        advance(day(1));
        watch.name(api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText(), "second invoice");
        assertThat(watch.invoice("second invoice")).isEqualTo(new Inv("open", 0, 900, 1, day(4)));
        advance(day(8));
        assertThat(watch.subscriptions()).isEqualTo(Map.of("hosting", "suspended", "backups", "suspended"));
        watch.newEvents();

        Res first = api.post("/v1/invoices/" + watch.id("invoice") + "/record_payment", "{\"amount\":2500,\"method\":\"wire\",\"reference\":\"TRF-1\"}");
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        // One past-due invoice is left: dunning goes on, services stay suspended.
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(day(8) + " invoice.paid invoice paid due 0",
                day(8) + " notification.created invoice_paid invoice");
        assertThat(watch.entitlements()).isEqualTo(new Ent(true, "suspended", 900, List.of("second invoice"), "retry_payment",
                day(9), null, null, null));
        assertThat(watch.upcoming()).extracting(Dunned.Step::invoice).containsOnly("second invoice");
        assertThat(watch.subscriptions()).isEqualTo(Map.of("hosting", "suspended", "backups", "suspended"));

        Res second = api.post("/v1/invoices/" + watch.id("second invoice") + "/record_payment", "{\"amount\":900,\"method\":\"wire\",\"reference\":\"TRF-1\"}");
        assertThat(second.status()).as(second.text()).isEqualTo(200);
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(
                day(8) + " invoice.paid second invoice paid due 0",
                day(8) + " notification.created invoice_paid second invoice",
                day(8) + " account.services_restored",
                day(8) + " notification.created services_restored null",
                day(8) + " subscription.updated hosting active",
                day(8) + " subscription.updated backups active",
                day(8) + " account.dunning_ended second invoice");
        assertThat(watch.entitlements()).isEqualTo(CLEAN);
        assertThat(watch.subscriptions()).isEqualTo(Map.of("hosting", "active", "backups", "active"));
        advance(day(17));
        assertThat(watch.newEvents()).isEmpty();
    }

    @Test
    void anotherTenantNeitherReadsNorPaysThisAccountsDunning() {
        ApiClient stranger = TestServer.on(database).newTenant();
        for (String path : List.of("/entitlements", "/dunning", "/notifications")) {
            Res r = stranger.get("/v1/accounts/" + account + path);
            assertThat(r.status()).as(path + " " + r.text()).isEqualTo(404);
            assertThat(r.code()).isEqualTo("resource_missing");
            assertThat(api.get("/v1/accounts/acct_nope" + path).status()).isEqualTo(404);
        }
        assertThat(stranger.get("/v1/invoices/" + watch.id("invoice") + "/payment_attempts").status()).isEqualTo(404);
        assertThat(stranger.get("/v1/invoices/" + watch.id("invoice") + "/payments").status()).isEqualTo(404);
        assertThat(watch.newEvents()).isEmpty();
    }

    @Test
    void aCreditNoteOrAVoidThatLeavesNothingToPayEndsDunningAsAPaymentDoes() {
        advance(day(9));
        watch.newEvents();
        Res credit = api.post("/v1/invoices/" + watch.id("invoice") + "/credit_notes", "{\"reason\":\"goodwill\"}");
        assertThat(credit.status()).as(credit.text()).isEqualTo(200);
        assertThat(watch.newEvents()).filteredOn(e -> !e.contains("credit_note.created")).containsExactlyInAnyOrder(
                day(9) + " invoice.paid invoice paid due 0",
                day(9) + " account.services_restored",
                day(9) + " notification.created services_restored null",
                day(9) + " subscription.updated hosting active",
                day(9) + " account.dunning_ended invoice");
        assertThat(watch.entitlements()).isEqualTo(CLEAN);
        // Nothing will be retried: no next attempt is shown (three rounds by day 9: days 0, 3 and 8).
        assertThat(watch.invoice("invoice")).isEqualTo(new Inv("paid", 0, 0, 3, null));

        // A second plan's invoice goes into dunning on day 9 and is voided on day 17, after its own suspension.
        watch.name(subscribe(Fixtures.flatPlan(api, "usd")).str("id"), "second hosting");
        advance(day(9));
        watch.name(api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText(), "second invoice");
        advance(day(17));
        assertThat(watch.entitlements().services()).isEqualTo("suspended");
        watch.newEvents();
        assertThat(api.post("/v1/invoices/" + watch.id("second invoice") + "/void", null).status()).isEqualTo(200);
        assertThat(watch.newEvents()).containsExactlyInAnyOrder(
                day(17) + " invoice.voided second invoice void due 2500",
                day(17) + " account.services_restored",
                day(17) + " notification.created services_restored null",
                day(17) + " subscription.updated hosting active",
                day(17) + " subscription.updated second hosting active",
                day(17) + " account.dunning_ended second invoice");
        assertThat(watch.entitlements()).isEqualTo(CLEAN);
        assertThat(watch.invoice("second invoice").nextPaymentAttempt()).isNull();
        advance(day(30));
        assertThat(watch.newEvents()).as("the voided invoice's day-15 steps do nothing").isEmpty();
    }
}

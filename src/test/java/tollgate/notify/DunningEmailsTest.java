package tollgate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.notify.MailTestServer.Received;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;

/**
 * The dunning scenarios of SPEC §6 replayed with the test clock against a real SMTP server: each email arrives on its
 * day (its Date is the day the step ran), with the dates of what comes next in its text, read from the policy.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class DunningEmailsTest {
    @Parameter
    TestDatabase database;
    MailTestServer mail;
    ApiClient api;

    @AfterEach
    void stop() {
        if (mail != null) mail.close();
    }

    private void advance(Instant to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    /** Advances to {@code to}, delivers, and answers what arrived: "subject @ date". */
    private List<Received> dayOf(Instant to) {
        advance(to);
        mail.deliver();
        return mail.newMail();
    }

    private static List<String> subjects(List<Received> got) {
        return got.stream().map(r -> r.subject() + " @ " + r.date()).toList();
    }

    private static Received about(List<Received> got, String subjectStart) {
        return got.stream().filter(r -> r.subject().startsWith(subjectStart)).findFirst().orElseThrow();
    }

    @Test
    void hostingDefaultSendsEachEmailOnItsDayWithTheDatesOfWhatComesNext() {
        Instant day0 = Instant.parse("2030-01-01T10:00:00Z");
        mail = new MailTestServer(database);
        api = mail.tenantAt(day0.minus(Duration.ofHours(1)));
        String plan = api.post("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}").str("id");
        String account = api.newAccount("Shop", "usd", "UTC");
        Fixtures.attachCard(api, account, "tok_chargeDeclinedInsufficientFunds");
        advance(day0);
        assertThat(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}").status()).isEqualTo(200);

        List<Received> d0 = dayOf(day0);
        assertThat(subjects(d0)).containsExactlyInAnyOrder("Invoice INV-000001 from Test tenant: USD 25.00 @ 2030-01-01T10:00:00Z",
                "Payment failed for invoice INV-000001 (attempt 1 of 4) @ 2030-01-01T10:00:00Z");
        assertThat(about(d0, "Payment failed").text()).contains(
                "we could not collect USD 25.00 for invoice INV-000001: the card has insufficient funds.",
                "This was attempt 1 of 4.", "We will try again on January 4, 2030.",
                "On January 9, 2030 your services will be suspended unless the invoice is paid.");
        assertThat(about(d0, "Payment failed").html()).contains("We will try again on <strong>January 4, 2030</strong>.",
                "<strong>On January 9, 2030 your services will be suspended</strong>");

        assertThat(dayOf(day0.plus(Duration.ofDays(3)).minusSeconds(1))).isEmpty();
        List<Received> d3 = dayOf(day0.plus(Duration.ofDays(3)));
        assertThat(subjects(d3)).containsExactly("Payment failed for invoice INV-000001 (attempt 2 of 4) @ 2030-01-04T10:00:00Z");
        assertThat(d3.getFirst().text()).contains("This was attempt 2 of 4.", "We will try again on January 9, 2030.",
                "On January 9, 2030 your services will be suspended unless the invoice is paid.");

        List<Received> d8 = dayOf(day0.plus(Duration.ofDays(8)));
        assertThat(subjects(d8)).containsExactlyInAnyOrder("Payment failed for invoice INV-000001 (attempt 3 of 4) @ 2030-01-09T10:00:00Z",
                "Your services are suspended @ 2030-01-09T10:00:00Z");
        assertThat(about(d8, "Payment failed").text()).contains("This was attempt 3 of 4.", "We will try again on January 16, 2030.",
                "On January 16, 2030 your services will be canceled unless the invoice is paid.");
        assertThat(about(d8, "Your services are suspended").text()).contains("your services were suspended on January 9, 2030.",
                "On January 16, 2030 your services will be canceled unless the invoice is paid.");

        List<Received> d15 = dayOf(day0.plus(Duration.ofDays(15)));
        assertThat(subjects(d15)).containsExactlyInAnyOrder("Your services are canceled @ 2030-01-16T10:00:00Z",
                "Your data is deleted; backups are kept until January 30, 2030 @ 2030-01-16T10:00:00Z");
        assertThat(about(d15, "Your services are canceled").text()).contains("your services were canceled on January 16, 2030.");
        assertThat(about(d15, "Your data is deleted").text()).contains("your services' data was deleted on January 16, 2030. Backups are kept until January 30, 2030");

        assertThat(dayOf(day0.plus(Duration.ofDays(29)).minusSeconds(1))).isEmpty();
        List<Received> d29 = dayOf(day0.plus(Duration.ofDays(29)));
        assertThat(subjects(d29)).containsExactly("Your backups have been purged @ 2030-01-30T10:00:00Z");
        assertThat(d29.getFirst().text()).contains("purged on January 30, 2030. They can no longer be restored.");

        JsonNode notes = api.get("/v1/accounts/" + account + "/notifications?limit=100").json().get("data");
        assertThat(notes).hasSize(8).allSatisfy(n -> assertThat(n.get("status").asText()).isEqualTo("sent"));
    }

    @Test
    void licensesDefaultWarnsBlocksAndRevokesOnDays0_14And28ThenWelcomesThePayment() {
        Instant day0 = Instant.parse("2030-01-01T00:00:00Z");
        mail = new MailTestServer(database);
        api = mail.tenantAt(Instant.parse("2029-12-10T09:00:00Z"));
        String plan = Fixtures.licensePlan(api, "usd", 900);
        String account = api.newAccount("Agency", "usd", "UTC");
        Fixtures.attachCard(api, account, "tok_chargeDeclined");
        assertThat(Fixtures.issue(api, account, plan, 2).status()).isEqualTo(200);

        List<Received> d0 = dayOf(day0);
        assertThat(subjects(d0)).containsExactlyInAnyOrder("Invoice INV-000001 from Test tenant: USD 12.78 @ 2030-01-01T00:00:00Z",
                "Invoice INV-000001 is unpaid @ 2030-01-01T00:00:00Z");
        assertThat(about(d0, "Invoice INV-000001 is unpaid").text()).contains("you have an unpaid invoice: INV-000001, USD 12.78 (the bank declined the charge).",
                "On January 15, 2030 you will no longer be able to issue new licenses unless it is paid.");

        assertThat(dayOf(day0.plus(Duration.ofDays(14)).minusSeconds(1))).isEmpty();
        List<Received> d14 = dayOf(day0.plus(Duration.ofDays(14)));
        assertThat(subjects(d14)).containsExactly("New licenses are blocked until invoice INV-000001 is paid @ 2030-01-15T00:00:00Z");
        assertThat(d14.getFirst().text()).contains("so you cannot issue new licenses. Your existing licenses keep working.",
                "On January 29, 2030 all of your licenses will be revoked unless the invoice is paid.");

        List<Received> d28 = dayOf(day0.plus(Duration.ofDays(28)));
        assertThat(subjects(d28)).containsExactly("Your licenses have been revoked @ 2030-01-29T00:00:00Z");
        assertThat(d28.getFirst().text()).contains("so all of your licenses were revoked on January 29, 2030.");

        String invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
        advance(day0.plus(Duration.ofDays(29)));
        assertThat(api.post("/v1/invoices/" + invoice + "/record_payment", "{\"amount\":1278,\"method\":\"wire\",\"reference\":\"SEPA 1\"}")
                .status()).isEqualTo(200);
        mail.deliver();
        assertThat(subjects(mail.newMail())).containsExactlyInAnyOrder("Receipt for invoice INV-000001: USD 12.78 paid @ 2030-01-30T00:00:00Z",
                "Your account is in good standing again @ 2030-01-30T00:00:00Z");
    }
}

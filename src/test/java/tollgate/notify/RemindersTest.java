package tollgate.notify;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The scheduled reminders: three days before a trial ends, thirty days before the primary card expires, once each. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class RemindersTest {
    @Parameter
    TestDatabase database;
    MailTestServer mail;
    ApiClient api;

    @AfterEach
    void stop() {
        if (mail != null) mail.close();
    }

    private List<Received> at(String instant) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + instant + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        mail.deliver();
        return mail.newMail();
    }

    @Test
    void aTrialEndsInThreeDaysAndThePrimaryCardExpiresWithin30Days() {
        mail = new MailTestServer(database);
        api = mail.tenantAt(Instant.parse("2034-11-20T12:00:00Z"));
        String plan = api.post("/v1/plans", "{\"name\":\"Hosting L\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":12000,"
                + "\"trial_days\":14}").str("id");
        String account = api.newAccount("Agency", "usd", "UTC");
        // The sandbox's tok_visa expires 12/2034: good through 31 December, so the reminder is due on 2 December.
        Fixtures.attachCard(api, account, "tok_visa");
        Res sub = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}");
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        assertThat(sub.str("trial_end")).isEqualTo("2034-12-04T12:00:00Z");

        assertThat(at("2034-12-01T11:59:59Z")).isEmpty();
        List<Received> trial = at("2034-12-01T12:00:00Z");
        assertThat(trial).extracting(Received::subject).containsExactly("Your trial of Hosting L ends on December 4, 2034");
        assertThat(trial.getFirst().text()).contains("your trial of Hosting L ends on December 4, 2034. From then on it costs "
                + "USD 120.00, charged to your Visa ending in 4242.");
        assertThat(trial.getFirst().date()).isEqualTo(Instant.parse("2034-12-01T12:00:00Z"));

        assertThat(at("2034-12-01T23:59:59Z")).isEmpty();
        List<Received> card = at("2034-12-02T00:00:00Z");
        assertThat(card).extracting(Received::subject).containsExactly("Your Visa ending in 4242 expires soon");
        assertThat(card.getFirst().text()).contains("your Visa ending in 4242, the card we charge first, expires at the end of December 2034.",
                "Update your card: https://billing.example/portal/" + api.tenant.id() + "/payment-methods");

        assertThat(at("2034-12-31T00:00:00Z")).extracting(Received::subject).as("once each, and the trial's invoice")
                .containsExactly("Invoice INV-000001 from Test tenant: USD 120.00", "Receipt for invoice INV-000001: USD 120.00 paid");
    }

    @Test
    void aCardThatIsNoLongerPrimaryOrGoneIsNotRemindedOf() {
        mail = new MailTestServer(database);
        api = mail.tenantAt(Instant.parse("2034-11-20T12:00:00Z"));
        String account = api.newAccount("Agency", "usd", "UTC");
        String visa = Fixtures.attachCard(api, account, "tok_visa");
        Res second = api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_mastercard\",\"primary\":true}");
        assertThat(second.status()).as(second.text()).isEqualTo(200);
        assertThat(api.delete("/v1/payment_methods/" + second.str("id")).status()).isEqualTo(200);
        assertThat(api.delete("/v1/payment_methods/" + visa).status()).isEqualTo(200);
        assertThat(at("2034-12-03T00:00:00Z")).isEmpty();
    }
}

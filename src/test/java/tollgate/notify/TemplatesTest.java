package tollgate.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every message renders whole in both parts; a missing value fails loudly; every value is escaped in HTML. */
class TemplatesTest {
    private final Composer composer = new Composer(MailLanguage.load("en"), "https://billing.example", "billing@tollgate.example");

    @Test
    void everyMessageOfTheEnglishFileRendersWholeInBothParts() {
        assertThat(composer.language().messages()).contains("invoice_issued", "invoice_paid", "payment_failed", "invoice_unpaid",
                "licenses_blocked", "licenses_revoked", "services_suspended", "services_canceled", "data_deletion_scheduled",
                "backups_purged", "services_restored", "card_expiring", "trial_ending", "portal_invitation", "email_verification",
                "password_reset", "webhook_endpoint_disabled");
        for (Map.Entry<String, Notification> e : Samples.all().entrySet()) {
            Email email = composer.compose(e.getValue(), Samples.context());
            assertThat(email.subject()).as(e.getKey()).isNotBlank().doesNotContain("{{", "}}", "null");
            assertThat(email.text()).as(e.getKey()).doesNotContain("{{", "}}", "null").contains("Hostmost · Hostmost GmbH");
            assertThat(email.html()).as(e.getKey()).doesNotContain("{{", "}}", ">null<").startsWith("<!doctype html>")
                    .contains("background:#0f766e", "help@hostmost.example");
            assertThat(email.fromName()).isEqualTo("Hostmost Billing");
            assertThat(email.replyTo()).isEqualTo("help@hostmost.example");
        }
    }

    @Test
    void paymentFailedSaysTheAttemptTheReasonTheNextAttemptAndWhatHappensThen() {
        Email email = composer.compose(Samples.all().get("payment_failed_2"), Samples.context());
        assertThat(email.subject()).isEqualTo("Payment failed for invoice INV-000042 (attempt 2 of 4)");
        assertThat(email.text()).contains("we could not collect USD 49.00 for invoice INV-000042: the card has insufficient funds.",
                "This was attempt 2 of 4.", "We will try again on March 12, 2030.",
                "On March 12, 2030 your services will be suspended unless the invoice is paid.",
                "Pay now: https://billing.example/portal/hostmost/invoices/inv_sample",
                "Update your card: https://billing.example/portal/hostmost/payment-methods");
    }

    /** Decision 091: an invoice charged at once is paid when its mail goes out, with its PDF rendered then. */
    @Test
    void anInvoiceChargedAutomaticallyIsNotSaidToBeLeftToPay() {
        Notification n = Samples.all().get("invoice_issued");
        assertThat(composer.compose(n, Samples.context()).text()).contains("is ready: USD 49.00, USD 49.00 to pay.",
                "View or pay it: https://billing.example/portal/hostmost/invoices/inv_sample").doesNotContain("automatically");

        Map<String, Object> charged = new LinkedHashMap<>(n.data());
        charged.put("charged_automatically", true);
        Email email = composer.compose(withData(n, charged), Samples.context());
        assertThat(email.text()).contains("is ready: USD 49.00.\nThe PDF is attached. We charge USD 49.00 to your payment method "
                        + "automatically: a receipt follows once it is paid, or a message if the payment does not go through.",
                "View it: https://billing.example/portal/hostmost/invoices/inv_sample").doesNotContain("to pay", "View or pay");
        assertThat(email.html()).contains("<strong>USD 49.00</strong>.", "We charge USD 49.00 to your payment method automatically")
                .doesNotContain("to pay");

        // Queued before the key existed: it reads as it did then, rather than failing for a missing value.
        Map<String, Object> before = new LinkedHashMap<>(n.data());
        before.remove("charged_automatically");
        assertThat(composer.compose(withData(n, before), Samples.context()).text()).contains("USD 49.00 to pay.");
    }

    private static Notification withData(Notification n, Map<String, Object> data) {
        return new Notification(n.id(), n.account(), n.template(), n.recipient(), n.invoice(), data, "pending", 0, null,
                n.nextAttemptAt(), n.messageId(), n.createdAt(), null, null);
    }

    @Test
    void datesAreWrittenInTheAccountsTimeZone() {
        Notification n = Samples.all().get("backups_purged");
        Composer.Context tokyo = new Composer.Context(Samples.tenant(), "Acme", ZoneId.of("Pacific/Kiritimati"), null);
        Notification late = new Notification(n.id(), n.account(), n.template(), n.recipient(), null,
                Map.of("backups_purged_at", "2030-04-02T20:00:00Z"), "pending", 0, null, n.nextAttemptAt(), n.messageId(), n.createdAt(), null, null);
        assertThat(composer.compose(late, tokyo).text()).contains("purged on April 3, 2030");
        assertThat(composer.compose(late, Samples.context()).text()).contains("purged on April 2, 2030");
    }

    @Test
    void aMissingValueFailsTheWholeMessageRatherThanSendingHalfOfIt() {
        Notification n = Samples.all().get("payment_failed_1");
        Map<String, Object> data = new LinkedHashMap<>(n.data());
        data.remove("attempts_total");
        Notification broken = new Notification(n.id(), n.account(), n.template(), n.recipient(), n.invoice(), data,
                "pending", 0, null, n.nextAttemptAt(), n.messageId(), n.createdAt(), null, null);
        assertThatThrownBy(() -> composer.compose(broken, Samples.context())).isInstanceOf(MailTemplate.MissingValue.class)
                .hasMessageContaining("attempts_total");

        MailTemplate t = MailTemplate.compile("t", "Hello {{name}}{{#extra}}, {{extra}}{{/extra}}", false);
        assertThat(t.render(Map.of("name", "Ada", "extra", ""))).isEqualTo("Hello Ada");
        Map<String, Object> nullName = new HashMap<>();
        nullName.put("name", null);
        nullName.put("extra", "x");
        assertThatThrownBy(() -> t.render(nullName)).isInstanceOf(MailTemplate.MissingValue.class).hasMessageContaining("{{name}} has no value");
        assertThatThrownBy(() -> composer.compose(new Notification("ntf_x", "acct_x", "no_such_message", "a@b.example",
                null, Map.of(), "pending", 0, null, Samples.AT, "<x@y>", Samples.AT, null, null), Samples.context()))
                .isInstanceOf(MailTemplate.MissingValue.class).hasMessageContaining("no message 'no_such_message'");
    }

    @Test
    void aDunningStepsOwnTemplateNameGetsThePaymentFailedMessage() {
        Notification n = Samples.all().get("payment_failed_1");
        Notification custom = new Notification(n.id(), n.account(), "gentle_reminder", n.recipient(), n.invoice(), n.data(),
                "pending", 0, null, n.nextAttemptAt(), n.messageId(), n.createdAt(), null, null);
        assertThat(composer.compose(custom, Samples.context()).subject()).isEqualTo("Payment failed for invoice INV-000042 (attempt 1 of 4)");
    }

    @Test
    void everyValueIsEscapedInTheHtmlPartAndLeftAloneInTheText() {
        Notification n = Samples.all().get("webhook_endpoint_disabled");
        Notification hostile = new Notification(n.id(), n.account(), n.template(), n.recipient(), null,
                Map.of("endpoint_id", "we_1", "url", "https://x.example/?a=1&b=\"><script>alert(1)</script>", "reason", "<b>bold</b>"),
                "pending", 0, null, n.nextAttemptAt(), n.messageId(), n.createdAt(), null, null);
        Composer.Context ctx = new Composer.Context(Samples.tenant(), "O'Brien & <Sons>", ZoneId.of("UTC"), null);
        Email email = composer.compose(hostile, ctx);
        assertThat(email.html()).doesNotContain("<script>", "<b>bold</b>", "<Sons>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;", "&lt;b&gt;bold&lt;/b&gt;", "O&#39;Brien &amp; &lt;Sons&gt;");
        assertThat(email.text()).contains("<script>alert(1)</script>", "<b>bold</b>");
    }

    @Test
    void anotherLanguageIsAnotherFileWithTheSameSections() {
        MailLanguage german = MailLanguage.parse("de", """
                == phrases
                locale = de
                date = d. MMMM yyyy
                month = MMMM yyyy
                == layout.html
                <html><body>{{{body}}}<p>{{tenant_name}}</p></body></html>
                == layout.text
                {{{body}}}
                -- {{tenant_name}}
                == backups_purged.subject
                Ihre Sicherungen wurden gelöscht
                == backups_purged.text
                Die Sicherungen wurden am {{backups_purged_at}} gelöscht.
                == backups_purged.html
                <p>Die Sicherungen wurden am {{backups_purged_at}} gelöscht.</p>
                """);
        Email email = new Composer(german, "https://billing.example", "x@y.example").compose(Samples.all().get("backups_purged"), Samples.context());
        assertThat(email.subject()).isEqualTo("Ihre Sicherungen wurden gelöscht");
        assertThat(email.text()).contains("Die Sicherungen wurden am 2. April 2030 gelöscht.", "-- Hostmost");
        assertThatThrownBy(() -> MailLanguage.load("xx")).hasMessageContaining("no email templates for language 'xx'");
    }
}

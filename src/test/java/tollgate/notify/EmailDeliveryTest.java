package tollgate.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * Emails over real SMTP (GreenMail in this JVM, or a scripted server that refuses on cue): the invoice and the receipt
 * with both parts, the tenant's sender and brand and the PDF read back; a temporary refusal retried with backoff; a
 * permanent one failed with the server's words; three days of refused connections given up; a worker killed between
 * the server's "250" and the record resends with the same Message-ID; a message without an address skipped.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class EmailDeliveryTest {
    private static final Instant DAY_0 = Instant.parse("2030-01-01T10:00:00Z");

    @Parameter
    TestDatabase database;
    MailTestServer mail;
    ApiClient api;
    String account;

    @BeforeEach
    void start() {
        mail = new MailTestServer(database);
        api = mail.tenantAt(DAY_0);
    }

    @AfterEach
    void stop() {
        mail.close();
    }

    private static JsonNode ok(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private void advance(Instant to) {
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}"));
    }

    /** A branded tenant, an account whose name needs escaping, a paying card and a hosting subscription billed at once. */
    private String subscribe(String token) {
        ok(api.post("/v1/tenant", """
                {"name": "Hostmost", "slug": "hostmost",
                 "company": {"legal_name": "Hostmost GmbH", "tax_id": "DE123456789", "support_email": "help@hostmost.test",
                             "address": {"line1": "Hauptstr. 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}},
                 "branding": {"sender_name": "Hostmost Billing", "sender_email": "billing@hostmost.test",
                              "logo_url": "https://hostmost.test/logo.png", "brand_color": "#0f766e", "accent_color": "#ecfdf5"}}"""));
        String plan = ok(api.post("/v1/plans", "{\"name\":\"Hosting S\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}")).get("id").asText();
        account = ok(api.post("/v1/accounts", """
                {"name": "Shop <b>& Co</b>", "email": "owner@shop.test", "currency": "usd", "timezone": "Europe/Berlin",
                 "company": {"legal_name": "Shop Ltd", "billing_email": "accounts@shop.test"}}""")).get("id").asText();
        Fixtures.attachCard(api, account, token);
        ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}"));
        advance(DAY_0);
        return ok(api.get("/v1/accounts/" + account + "/invoices")).at("/data/0/id").asText();
    }

    private List<JsonNode> notifications() {
        List<JsonNode> out = new java.util.ArrayList<>();
        ok(api.get("/v1/accounts/" + account + "/notifications?limit=100")).get("data").forEach(out::addFirst);
        return out;
    }

    private static String pdfText(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    @Test
    void theInvoiceAndTheReceiptArriveWithBothPartsTheTenantsBrandAndThePdf() throws Exception {
        String invoice = subscribe("tok_visa");
        assertThat(mail.deliver()).isEqualTo(2);
        List<Received> got = mail.newMail();
        assertThat(got).hasSize(2);
        String payUrl = "https://billing.example/portal/hostmost/invoices/" + invoice;

        Received issued = got.get(0);
        assertThat(issued.subject()).isEqualTo("Invoice INV-000001 from Hostmost: USD 25.00");
        assertThat(issued.to()).containsExactly("accounts@shop.test");
        assertThat(issued.from()).isEqualTo("Hostmost Billing <billing@hostmost.test>");
        assertThat(issued.replyTo()).isEqualTo("help@hostmost.test");
        assertThat(issued.date()).isEqualTo(DAY_0);
        // Charged at once, so paid by the time the mail is composed (its PDF says so): the email claims nothing "to pay".
        assertThat(issued.text()).contains("Hello Shop <b>& Co</b>,", "your invoice INV-000001 of January 1, 2030 is ready: USD 25.00.",
                "We charge USD 25.00 to your payment method automatically: a receipt follows once it is paid, or a message if the "
                        + "payment does not go through.", "View it: " + payUrl, "Hostmost · Hostmost GmbH · Hauptstr. 1, 10115 Berlin, DE · DE123456789",
                "Questions? Write to help@hostmost.test.");
        assertThat(issued.html()).contains("Hello Shop &lt;b&gt;&amp; Co&lt;/b&gt;,", "<strong>INV-000001</strong>", "href=\"" + payUrl + "\"",
                "src=\"https://hostmost.test/logo.png\"", "background:#0f766e", "background:#ecfdf5", "mailto:help@hostmost.test")
                .doesNotContain("<b>& Co</b>", "{{");
        assertThat(issued.attachments()).singleElement().satisfies(a -> {
            assertThat(a.filename()).isEqualTo("INV-000001.pdf");
            assertThat(a.contentType()).startsWith("application/pdf");
            assertThat(pdfText(a.bytes())).contains("INV-000001", "Hostmost GmbH", "Shop Ltd", "Amount due USD 0.00");
        });
        assertThat(issued.text() + issued.html()).doesNotContain("to pay", "View or pay");

        Received receipt = got.get(1);
        assertThat(receipt.subject()).isEqualTo("Receipt for invoice INV-000001: USD 25.00 paid");
        assertThat(receipt.text()).contains("we received USD 25.00 for invoice INV-000001 on January 1, 2030.");
        assertThat(receipt.attachments()).singleElement().satisfies(a -> assertThat(pdfText(a.bytes())).contains("INV-000001"));

        List<JsonNode> notes = notifications();
        assertThat(notes).extracting(n -> n.get("template").asText()).containsExactly("invoice_issued", "invoice_paid");
        for (int i = 0; i < 2; i++) {
            JsonNode n = notes.get(i);
            assertThat(n.get("status").asText()).isEqualTo("sent");
            assertThat(n.get("attempts").asInt()).isEqualTo(1);
            assertThat(n.get("last_response").asText()).startsWith("250");
            assertThat(n.get("sent_at").asText()).isEqualTo(DAY_0.toString());
            assertThat(n.get("message_id").asText()).isEqualTo(got.get(i).messageId()).startsWith("<ntf_").endsWith("@billing.example>");
        }
        assertThat(mail.deliver()).isZero();
        assertThat(mail.newMail()).isEmpty();
    }

    @Test
    void aTemporaryRefusalIsRetriedAfterABackoffOnTheTenantsClock() {
        try (ScriptedSmtp smtp = new ScriptedSmtp()) {
            Courier refusing = mail.courier().with(new SmtpMailer(SmtpServer.parse("smtp://127.0.0.1:" + smtp.port()), "localhost"),
                    Duration.ofMinutes(10));
            subscribe("tok_visa");
            smtp.rcpt = "451 4.7.1 Greylisted, try again later";
            assertThat(refusing.deliverAllDue()).isEqualTo(2);
            for (JsonNode n : notifications()) {
                assertThat(n.get("status").asText()).isEqualTo("pending");
                assertThat(n.get("attempts").asInt()).isEqualTo(1);
                assertThat(n.get("last_response").asText()).isEqualTo("451 4.7.1 Greylisted, try again later");
                assertThat(n.get("next_attempt_at").asText()).isEqualTo(DAY_0.plus(Duration.ofMinutes(1)).toString());
            }
            assertThat(refusing.deliverAllDue()).as("not due before its time").isZero();

            smtp.rcpt = "250 2.1.5 OK";
            advance(DAY_0.plus(Duration.ofMinutes(1)));
            assertThat(refusing.deliverAllDue()).isEqualTo(2);
            assertThat(smtp.accepted.get()).isEqualTo(2);
            for (JsonNode n : notifications()) {
                assertThat(n.get("status").asText()).isEqualTo("sent");
                assertThat(n.get("attempts").asInt()).isEqualTo(2);
                assertThat(n.get("last_response").asText()).isEqualTo("250 2.0.0 queued as 42");
            }
        }
    }

    @Test
    void aPermanentRefusalFailsTheMessageWithTheServersAnswerAndTellsTheTenant() {
        try (ScriptedSmtp smtp = new ScriptedSmtp()) {
            Courier refusing = mail.courier().with(new SmtpMailer(SmtpServer.parse("smtp://127.0.0.1:" + smtp.port()), "localhost"),
                    Duration.ofMinutes(10));
            subscribe("tok_visa");
            smtp.rcpt = "550 5.1.1 <accounts@shop.test>: Recipient address rejected";
            assertThat(refusing.deliverAllDue()).isEqualTo(2);
            assertThat(smtp.accepted.get()).isZero();
            for (JsonNode n : notifications()) {
                assertThat(n.get("status").asText()).isEqualTo("failed");
                assertThat(n.get("attempts").asInt()).isEqualTo(1);
                assertThat(n.get("last_response").asText()).isEqualTo("550 5.1.1 <accounts@shop.test>: Recipient address rejected");
                assertThat(n.get("failed_at").asText()).isEqualTo(DAY_0.toString());
            }
            JsonNode failed = ok(api.get("/v1/events?type=notification.failed")).get("data");
            assertThat(failed).hasSize(2);
            assertThat(failed.get(0).at("/data/status").asText()).isEqualTo("failed");
            assertThat(failed.get(0).at("/data/last_response").asText()).startsWith("550 5.1.1");
            assertThat(refusing.deliverAllDue()).as("never tried again").isZero();
        }
    }

    @Test
    void refusedConnectionsAreRetriedForThreeDaysThenTheMessageFails() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Courier unreachable = mail.courier().with(new SmtpMailer(SmtpServer.parse("smtp://127.0.0.1:" + closedPort), "localhost"),
                Duration.ofMinutes(10));
        subscribe("tok_visa");
        List<String> retries = new java.util.ArrayList<>();
        for (int round = 0; round < 40; round++) {
            unreachable.deliverAllDue();
            JsonNode first = notifications().getFirst();
            if (!first.get("status").asText().equals("pending")) break;
            assertThat(first.get("last_response").asText()).contains("ConnectException");
            retries.add(first.get("next_attempt_at").asText());
            advance(Instant.parse(first.get("next_attempt_at").asText()));
        }
        JsonNode first = notifications().getFirst();
        assertThat(first.get("status").asText()).isEqualTo("failed");
        assertThat(first.get("last_response").asText()).startsWith("gave up after 3 days; last answer: ConnectException");
        assertThat(first.get("failed_at").asText()).isEqualTo(DAY_0.plus(Duration.ofDays(3)).toString());
        // 1, 5 and 15 minutes, 1, 3 and 6 hours, then every 12 hours, the last pause cut short at three days.
        assertThat(retries.subList(0, 7)).containsExactly("2030-01-01T10:01:00Z", "2030-01-01T10:06:00Z", "2030-01-01T10:21:00Z",
                "2030-01-01T11:21:00Z", "2030-01-01T14:21:00Z", "2030-01-01T20:21:00Z", "2030-01-02T08:21:00Z");
        assertThat(retries.getLast()).isEqualTo("2030-01-04T10:00:00Z");
        assertThat(first.get("attempts").asInt()).isEqualTo(retries.size() + 1);
    }

    @Test
    void aWorkerKilledBetweenSendAndMarkLeavesTheMessageToBeSentAgainWithTheSameMessageId() throws Exception {
        subscribe("tok_visa");
        SmtpMailer real = new SmtpMailer(SmtpServer.parse("smtp://127.0.0.1:" + mail.greenMail.getSmtp().getPort()), "localhost");
        Courier dying = mail.courier().with(email -> {
            real.send(email);
            throw new ProcessDied();
        }, Duration.ofMillis(1));
        assertThatThrownBy(dying::deliverDue).isInstanceOf(ProcessDied.class);
        List<Received> before = mail.newMail();
        assertThat(before).hasSize(1);
        assertThat(notifications()).extracting(n -> n.get("status").asText()).containsExactly("pending", "pending");

        Thread.sleep(5); // the dead worker's lease runs out
        assertThat(mail.deliver()).isEqualTo(2);
        List<Received> after = mail.newMail();
        assertThat(after).hasSize(2);
        assertThat(after.get(0).messageId()).isEqualTo(before.get(0).messageId());
        assertThat(after.get(0).subject()).isEqualTo(before.get(0).subject());
        assertThat(notifications()).extracting(n -> n.get("status").asText() + " " + n.get("attempts").asInt())
                .containsExactly("sent 1", "sent 1");
        assertThat(mail.deliver()).isZero();
        assertThat(mail.newMail()).as("sent at least once, not more than once more").isEmpty();
    }

    /** The JVM dying: an Error no worker catches. */
    private static final class ProcessDied extends Error {}

    @Test
    void aMessageWithoutAnAddressIsSkippedAndTheTenantHearsOfADisabledWebhookEndpoint() {
        Notification nowhere = mail.server.app().db.tx(tx -> mail.server.app().notifications.enqueueToTenant(tx, api.tenant.id(),
                "webhook_endpoint_disabled", Map.of("endpoint_id", "we_1", "url", "https://hooks.example/x", "reason", "no 2xx for 3 days"), DAY_0));
        assertThat(mail.deliver()).isEqualTo(1);
        assertThat(mail.newMail()).isEmpty();
        Notification skipped = mail.server.app().notifications.find(api.tenant, nowhere.id()).orElseThrow();
        assertThat(skipped.status()).isEqualTo("skipped");
        assertThat(skipped.attempts()).isZero();
        assertThat(skipped.lastResponse()).startsWith("no email address");

        ok(api.post("/v1/tenant", "{\"company\": {\"legal_name\": \"Hostmost GmbH\", \"support_email\": \"ops@hostmost.test\"}}"));
        mail.server.app().db.tx(tx -> mail.server.app().notifications.enqueueToTenant(tx, api.tenant.id(), "webhook_endpoint_disabled",
                Map.of("endpoint_id", "we_1", "url", "https://hooks.example/x", "reason", "no 2xx for 3 days"), DAY_0));
        assertThat(mail.deliver()).isEqualTo(1);
        Received r = mail.newMail().getFirst();
        assertThat(r.to()).containsExactly("ops@hostmost.test");
        assertThat(r.subject()).isEqualTo("Webhook endpoint https://hooks.example/x was disabled");
        assertThat(r.text()).contains("we stopped sending events to your webhook endpoint we_1 (https://hooks.example/x): no 2xx for 3 days.");

        // The company's billing email comes first when the tenant has one (decisions 026 and 027).
        ok(api.post("/v1/tenant", "{\"company\": {\"legal_name\": \"Hostmost GmbH\", \"billing_email\": \"billing@hostmost.test\", "
                + "\"support_email\": \"ops@hostmost.test\"}}"));
        mail.server.app().db.tx(tx -> mail.server.app().notifications.enqueueToTenant(tx, api.tenant.id(), "webhook_endpoint_disabled",
                Map.of("endpoint_id", "we_2", "url", "https://hooks.example/y", "reason", "no 2xx for 3 days"), DAY_0));
        assertThat(mail.deliver()).isEqualTo(1);
        assertThat(mail.newMail().getFirst().to()).containsExactly("billing@hostmost.test");
    }
}

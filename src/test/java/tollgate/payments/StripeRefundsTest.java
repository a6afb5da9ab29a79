package tollgate.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static tollgate.payments.StripeStub.error;
import static tollgate.payments.StripeStub.form;
import static tollgate.payments.StripeStub.json;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tollgate.payments.RefundResult.Status;

/**
 * Issue #10: a credit note on a paid invoice refunds through the gateway that took the money. Against a stub of Stripe's
 * API: one Refund of the PaymentIntent under the refund's idempotency key (never two), Stripe's refusals FAILED, and
 * anything that leaves the outcome open PENDING, asked again by reading the refund rather than making another.
 */
class StripeRefundsTest {
    private static final String REFUNDS = "/v1/refunds";
    private static final String INTENT = "pi_3QPaid";
    private static final String KEY = "refund_re_01HXtollgate";
    private static StripeStub stripe;
    private StripeGateway gateway;

    @BeforeAll
    static void start() {
        stripe = new StripeStub();
    }

    @AfterAll
    static void stop() {
        stripe.close();
    }

    @BeforeEach
    void fresh() {
        stripe.reset();
        gateway = new StripeGateway("sk_test_tollgate", stripe.apiBase(), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    /** A Refund object as Stripe's API reference shows it. */
    static String refundJson(String id, String status, long amount, String key, String failureReason) {
        return """
                {
                  "id": "%s",
                  "object": "refund",
                  "amount": %d,
                  "balance_transaction": "txn_3QStubRefund",
                  "charge": "ch_3QStubCharge",
                  "created": 1730000200,
                  "currency": "usd",
                  "destination_details": {"card": {"reference_status": "pending", "reference_type": "acquirer_reference_number", "type": "refund"}, "type": "card"},
                  "failure_reason": %s,
                  "metadata": {"tollgate_idempotency_key": "%s"},
                  "payment_intent": "%s",
                  "reason": null,
                  "receipt_number": null,
                  "source_transfer_reversal": null,
                  "status": "%s",
                  "transfer_reversal": null
                }
                """.formatted(id, amount, failureReason == null ? "null" : "\"" + failureReason + "\"", key, INTENT, status);
    }

    private static RefundRequest request(boolean askedBefore, String gatewayId) {
        return new RefundRequest(KEY, INTENT, 1000, "usd", askedBefore, gatewayId);
    }

    private List<LoggedRequest> creates() {
        return stripe.server.findAll(postRequestedFor(urlEqualTo(REFUNDS)));
    }

    @Test
    void aRefundIsOneStripeRefundOfThePaymentIntentUnderTheRefundsIdempotencyKey() {
        stripe.server.stubFor(post(urlEqualTo(REFUNDS)).willReturn(json(200, refundJson("re_3QDone", "succeeded", 1000, KEY, null))));

        assertThat(gateway.refund(request(false, null))).isEqualTo(RefundResult.succeeded("re_3QDone"));

        LoggedRequest create = creates().getFirst();
        assertThat(create.getHeader("Idempotency-Key")).isEqualTo(KEY);
        assertThat(create.getHeader("Authorization")).isEqualTo("Bearer sk_test_tollgate");
        assertThat(form(create)).containsEntry("payment_intent", INTENT).containsEntry("amount", "1000")
                .containsEntry("metadata[tollgate_idempotency_key]", KEY);
    }

    @Test
    void aRefundStripeRefusesFails() {
        stripe.server.stubFor(post(urlEqualTo(REFUNDS)).willReturn(json(400, error("invalid_request_error", "charge_already_refunded",
                null, "Charge ch_3QStubCharge has already been refunded.", null, null))));

        RefundResult result = gateway.refund(request(false, null));

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.failureReason()).isEqualTo(RefundResult.CHARGE_NOT_REFUNDABLE);
        assertThat(result.message()).contains("HTTP 400").doesNotContain("has already been refunded");
    }

    @Test
    void aRefundThatFailsAtTheBankFailsWithStripesReason() {
        stripe.server.stubFor(post(urlEqualTo(REFUNDS)).willReturn(json(200, refundJson("re_3QLost", "failed", 1000, KEY, "lost_or_stolen_card"))));
        assertThat(gateway.refund(request(false, null)))
                .isEqualTo(RefundResult.failed("re_3QLost", "lost_or_stolen_card", "Refund failed"));
    }

    @Test
    void aServerErrorOrAPendingRefundIsPending() {
        stripe.server.stubFor(post(urlEqualTo(REFUNDS)).willReturn(json(500, error("api_error", null, null, "An unknown error occurred", null, null))));
        RefundResult lost = gateway.refund(request(false, null));
        assertThat(lost.status()).isEqualTo(Status.PENDING);
        assertThat(lost.gatewayId()).isNull();
        assertThat(lost.message()).contains("HTTP 500");

        stripe.server.stubFor(post(urlEqualTo(REFUNDS)).willReturn(json(200, refundJson("re_3QSlow", "pending", 1000, KEY, null))));
        assertThat(gateway.refund(request(false, null))).isEqualTo(RefundResult.pending("re_3QSlow", "Refund pending"));
    }

    @Test
    void askedAgainAboutARefundStripeNamedItIsReadNotMadeAgain() {
        stripe.server.stubFor(get(urlPathEqualTo(REFUNDS + "/re_3QSlow")).willReturn(json(200, refundJson("re_3QSlow", "succeeded", 1000, KEY, null))));

        assertThat(gateway.refund(request(true, "re_3QSlow"))).isEqualTo(RefundResult.succeeded("re_3QSlow"));
        assertThat(creates()).isEmpty();
    }

    @Test
    void askedAgainWithoutAnIdTheRefundIsFoundByItsKeyBeforeAnotherIsMade() {
        // A first create that Stripe made but whose answer was lost: the PaymentIntent's refunds carry our key.
        stripe.server.stubFor(get(urlPathEqualTo(REFUNDS)).willReturn(json(200, "{\"object\": \"list\", \"data\": ["
                + refundJson("re_3QOther", "succeeded", 500, "refund_re_someone_else", null) + ","
                + refundJson("re_3QFound", "succeeded", 1000, KEY, null) + "], \"has_more\": false, \"url\": \"/v1/refunds\"}")));

        assertThat(gateway.refund(request(true, null))).isEqualTo(RefundResult.succeeded("re_3QFound"));
        assertThat(creates()).isEmpty();
        assertThat(stripe.server.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(REFUNDS)))
                .getFirst().queryParameter("payment_intent").firstValue()).isEqualTo(INTENT);
    }

    @Test
    void askedAgainAndNotFoundTheRefundIsMadeUnderTheSameKey() {
        stripe.server.stubFor(get(urlPathEqualTo(REFUNDS)).willReturn(json(200,
                "{\"object\": \"list\", \"data\": [], \"has_more\": false, \"url\": \"/v1/refunds\"}")));
        stripe.server.stubFor(post(urlEqualTo(REFUNDS)).willReturn(json(200, refundJson("re_3QNew", "succeeded", 1000, KEY, null))));

        assertThat(gateway.refund(request(true, null))).isEqualTo(RefundResult.succeeded("re_3QNew"));
        assertThat(creates()).extracting(r -> r.getHeader("Idempotency-Key")).containsExactly(KEY);
    }
}

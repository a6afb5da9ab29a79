package tollgate.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tollgate.payments.StripeStub.CUSTOMER;
import static tollgate.payments.StripeStub.cardDeclined;
import static tollgate.payments.StripeStub.error;
import static tollgate.payments.StripeStub.form;
import static tollgate.payments.StripeStub.json;
import static tollgate.payments.StripeStub.paymentIntentJson;
import static tollgate.payments.StripeStub.paymentMethodJson;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import tollgate.core.Problem;
import tollgate.payments.DebitResult.Status;

/**
 * SPEC §5: the Stripe gateway against a stub of Stripe's API. Declines come back in the sandbox's words; anything
 * that leaves the outcome open (5xx, 429, timeouts, a refused key) is UNKNOWN, never an exception.
 */
class StripeGatewayTest {
    private static final String PM = "pm_1QStubCard";
    private static final String KEY = "att_01HX-attempt-1";
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

    private static DebitRequest request(String idempotencyKey) {
        return new DebitRequest(idempotencyKey, "pm_tollgate1", PM, 2000, "usd", "Invoice INV-0001");
    }

    @Test
    void theGatewayIsNamedStripeAndATestKeyMovesNoRealMoney() {
        assertThat(gateway.name()).isEqualTo("stripe");
        assertThat(gateway.movesRealMoney()).isFalse();
        assertThat(new StripeGateway("sk_live_tollgate", stripe.apiBase()).movesRealMoney()).isTrue();
    }

    @Test
    void describeAnswersTheCardOfAStripePaymentMethodWithOurKey() {
        stripe.card(PM, "mastercard", "4444", 8, 2031);
        assertThat(gateway.describe(PM)).contains(new Card("mastercard", "4444", 8, 2031));
        LoggedRequest read = stripe.server.findAll(getRequestedFor(urlPathEqualTo("/v1/payment_methods/" + PM))).getFirst();
        assertThat(read.getHeader("Authorization")).isEqualTo("Bearer sk_test_tollgate");
    }

    @Test
    void aPaymentMethodStripeDoesNotHaveIsUnknown() {
        stripe.noSuchPaymentMethod("pm_1QGone");
        assertThat(gateway.describe("pm_1QGone")).isEmpty();
    }

    @Test
    void aPaymentMethodThatIsNoCardIsUnknown() {
        stripe.paymentMethod("pm_1QSepa", 200, paymentMethodJson("pm_1QSepa", "sepa_debit", null, null, 0, 0, CUSTOMER));
        assertThat(gateway.describe("pm_1QSepa")).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"tok_visa", "4242424242424242", "pm_", "pm_1Q 2", "card_1QStub", "PM_1QSTUB", "pm_1Q/../customers"})
    void aTokenNotShapedLikeAPaymentMethodIdIsUnknownWithoutAskingStripe(String token) {
        assertThat(gateway.describe(token)).isEmpty();
        assertThat(stripe.server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aCardOnNoCustomerIsRefusedBecauseItCouldNotBeChargedLater() {
        stripe.paymentMethod(PM, 200, paymentMethodJson(PM, "card", "visa", "4242", 12, 2030, null));
        assertThatThrownBy(() -> gateway.describe(PM)).isInstanceOfSatisfying(Problem.class, p -> {
            assertThat(p.status()).isEqualTo(422);
            assertThat(p.code()).isEqualTo("token_invalid");
            assertThat(p.field()).isEqualTo("token");
        });
    }

    @Test
    void describeWhenStripeFailsIsA503GatewayUnavailable() {
        stripe.paymentMethod(PM, 500, error("api_error", null, null, "An unknown error occurred", null, null));
        assertThatThrownBy(() -> gateway.describe(PM)).isInstanceOfSatisfying(Problem.class, p -> {
            assertThat(p.status()).isEqualTo(503);
            assertThat(p.code()).isEqualTo("gateway_unavailable");
            assertThat(p.detail()).doesNotContain(PM);
        });
    }

    @Test
    void aChargeIsOneOffSessionPaymentIntentOnTheMethodsCustomerUnderTheAttemptsKey() {
        stripe.card(PM, "visa", "4242", 12, 2030);
        stripe.createAnswers(200, paymentIntentJson("pi_3QPaid", "succeeded", 2000, KEY, null));

        DebitResult result = gateway.debit(request(KEY));

        assertThat(result).isEqualTo(DebitResult.succeeded("pi_3QPaid"));
        LoggedRequest create = stripe.creates().getFirst();
        assertThat(create.getHeader("Idempotency-Key")).isEqualTo(KEY);
        assertThat(create.getHeader("Authorization")).isEqualTo("Bearer sk_test_tollgate");
        Map<String, String> sent = form(create);
        assertThat(sent).containsEntry("amount", "2000")
                .containsEntry("currency", "usd")
                .containsEntry("customer", CUSTOMER)
                .containsEntry("payment_method", PM)
                .containsEntry("payment_method_types[0]", "card")
                .containsEntry("confirm", "true")
                .containsEntry("off_session", "true")
                .containsEntry("description", "Invoice INV-0001")
                .containsEntry("metadata[tollgate_payment_method]", "pm_tollgate1")
                .containsEntry("metadata[tollgate_idempotency_key]", KEY);
    }

    @Test
    void askingAgainWithTheSameKeySendsTheSameKeySoStripeAnswersTheFirstTimeAgain() {
        stripe.card(PM, "visa", "4242", 12, 2030);
        stripe.createAnswers(200, paymentIntentJson("pi_3QPaid", "succeeded", 2000, KEY, null));

        assertThat(gateway.debit(request(KEY))).isEqualTo(DebitResult.succeeded("pi_3QPaid"));
        assertThat(gateway.debit(request(KEY))).isEqualTo(DebitResult.succeeded("pi_3QPaid"));
        gateway.debit(request("att_01HX-attempt-2"));

        assertThat(stripe.creates()).extracting(r -> r.getHeader("Idempotency-Key"))
                .containsExactly(KEY, KEY, "att_01HX-attempt-2");
        assertThat(stripe.creates()).extracting(r -> form(r).get("metadata[tollgate_idempotency_key]"))
                .containsExactly(KEY, KEY, "att_01HX-attempt-2");
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            "card_declined, generic_decline, generic_decline",
            "card_declined, insufficient_funds, insufficient_funds",
            "card_declined, lost_card, lost_card",
            "card_declined, stolen_card, lost_card",
            "card_declined, do_not_honor, generic_decline",
            "card_declined, fraudulent, generic_decline",
            "card_declined, -, generic_decline",
            "expired_card, -, expired_card",
            "incorrect_cvc, -, generic_decline",
            "processing_error, -, generic_decline",
            "authentication_required, authentication_required, authentication_required"})
    void aCardErrorIsADeclineInTheSandboxsWords(String code, String declineCode, String reason) {
        stripe.card(PM, "visa", "4242", 12, 2030);
        stripe.createAnswers(402, cardDeclined(code, declineCode, "Your card was declined."));

        DebitResult result = gateway.debit(request(KEY));

        assertThat(result.status()).isEqualTo(Status.DECLINED);
        assertThat(result.declineReason()).isEqualTo(reason);
        assertThat(result.gatewayId()).isEqualTo("pi_3QStubDeclined");
        assertThat(result.message()).contains(code).contains("req_TollgateStub402").doesNotContain(PM);
    }

    @Test
    void anIntentThatNeedsTheCustomerIsDeclinedAsAuthenticationRequired() {
        stripe.card(PM, "visa", "3155", 12, 2030);
        stripe.createAnswers(200, paymentIntentJson("pi_3QAuth", "requires_action", 2000, KEY, null));
        assertThat(gateway.debit(request(KEY)))
                .isEqualTo(new DebitResult(Status.DECLINED, "pi_3QAuth", "authentication_required", "requires_action"));
    }

    @Test
    void anIntentStillProcessingIsUnknownAndAskedAgainReadsHowItEnded() {
        stripe.card(PM, "visa", "4242", 12, 2030);
        stripe.createAnswers(200, paymentIntentJson("pi_3QSlow", "processing", 2000, KEY, null));
        stripe.server.stubFor(get(urlPathEqualTo("/v1/payment_intents/pi_3QSlow"))
                .willReturn(json(200, paymentIntentJson("pi_3QSlow", "processing", 2000, KEY, null))));

        DebitResult first = gateway.debit(request(KEY));
        assertThat(first.status()).isEqualTo(Status.UNKNOWN);
        assertThat(first.gatewayId()).isEqualTo("pi_3QSlow");

        // Stripe answers the replayed create word for word; only the fresh read knows it has succeeded since.
        stripe.server.stubFor(get(urlPathEqualTo("/v1/payment_intents/pi_3QSlow"))
                .willReturn(json(200, paymentIntentJson("pi_3QSlow", "succeeded", 2000, KEY, null))));
        assertThat(gateway.debit(request(KEY))).isEqualTo(DebitResult.succeeded("pi_3QSlow"));
    }

    @Test
    void aServerErrorIsUnknown() {
        stripe.card(PM, "visa", "4242", 12, 2030);
        stripe.createAnswers(500, error("api_error", null, null, "An unknown error occurred", null, null));
        stripe.server.stubFor(get(urlPathEqualTo(StripeStub.PAYMENT_INTENTS))
                .willReturn(json(200, "{\"object\": \"list\", \"data\": [], \"has_more\": false, \"url\": \"/v1/payment_intents\"}")));

        DebitResult result = gateway.debit(request(KEY));

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.gatewayId()).isNull();
        assertThat(result.message()).contains("HTTP 500").contains("req_TollgateStub500");
    }

    @Test
    void aServerErrorIsResolvedByTheIntentItLeftOnTheCustomer() {
        stripe.card(PM, "visa", "4242", 12, 2030);
        stripe.createAnswers(500, error("api_error", null, null, "An unknown error occurred", null, null));
        stripe.server.stubFor(get(urlPathEqualTo(StripeStub.PAYMENT_INTENTS)).willReturn(json(200, """
                {"object": "list", "has_more": false, "url": "/v1/payment_intents", "data": [%s, %s]}
                """.formatted(paymentIntentJson("pi_3QOther", "succeeded", 500, "att_other", null),
                paymentIntentJson("pi_3QLost", "succeeded", 2000, KEY, null)))));

        assertThat(gateway.debit(request(KEY))).isEqualTo(DebitResult.succeeded("pi_3QLost"));
        LoggedRequest list = stripe.server.findAll(getRequestedFor(urlPathEqualTo(StripeStub.PAYMENT_INTENTS))).getFirst();
        assertThat(list.queryParameter("customer").firstValue()).isEqualTo(CUSTOMER);
    }

    @Test
    void aReadTimeoutIsUnknownAndDoesNotWaitLonger() {
        StripeGateway impatient = new StripeGateway("sk_test_tollgate", stripe.apiBase(), Duration.ofSeconds(2), Duration.ofMillis(300));
        stripe.card(PM, "visa", "4242", 12, 2030);
        stripe.createAnswers(StripeStub.json(200, paymentIntentJson("pi_3QLate", "succeeded", 2000, KEY, null)).withFixedDelay(3_000));

        long started = System.nanoTime();
        DebitResult result = impatient.debit(request(KEY));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.message()).contains("SocketTimeoutException");
        assertThat(stripe.creates()).hasSize(1);
    }

    @Test
    void tooManyRequestsIsUnknown() {
        stripe.card(PM, "visa", "4242", 12, 2030);
        stripe.createAnswers(429, error("invalid_request_error", "rate_limit", null, "Request rate limit exceeded.", null, null));
        DebitResult result = gateway.debit(request(KEY));
        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.message()).contains("HTTP 429");
        assertThat(stripe.creates()).hasSize(1);
    }

    @Test
    void aRefusedKeyIsUnknownNotADeclineOfTheCustomersCard() {
        stripe.card(PM, "visa", "4242", 12, 2030);
        stripe.createAnswers(401, error("invalid_request_error", null, null, "Invalid API Key provided: sk_test_****lgate", null, null));
        assertThat(gateway.debit(request(KEY)).status()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void anAnswerThatIsNoJsonIsUnknown() {
        stripe.card(PM, "visa", "4242", 12, 2030);
        stripe.createAnswers(StripeStub.json(502, "<html>Bad gateway</html>").withHeader("Content-Type", "text/html"));
        assertThat(gateway.debit(request(KEY)).status()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void noStripeAtAllIsUnknown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        StripeGateway unreachable = new StripeGateway("sk_test_tollgate", "http://127.0.0.1:" + closedPort);
        DebitResult result = unreachable.debit(request(KEY));
        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.message()).contains("no answer from Stripe");
    }

    @Test
    void anInvalidRequestSuchAsAMethodStripeNoLongerHasIsDeclinedAsInvalidPaymentMethod() {
        stripe.card(PM, "visa", "4242", 12, 2030);
        stripe.createAnswers(400, error("invalid_request_error", "resource_missing", null,
                "No such PaymentMethod: '" + PM + "'", "payment_method", null));
        DebitResult result = gateway.debit(request(KEY));
        assertThat(result.status()).isEqualTo(Status.DECLINED);
        assertThat(result.declineReason()).isEqualTo("invalid_payment_method");
        assertThat(result.message()).contains("resource_missing").doesNotContain(PM);
    }

    @Test
    void aMethodGoneBeforeTheChargeIsDeclinedWithoutCreatingAnIntent() {
        stripe.noSuchPaymentMethod(PM);
        DebitResult result = gateway.debit(request(KEY));
        assertThat(result.status()).isEqualTo(Status.DECLINED);
        assertThat(result.declineReason()).isEqualTo("invalid_payment_method");
        assertThat(stripe.creates()).isEmpty();
    }

    @Test
    void aMethodThatCannotBeReadLeavesTheChargeUnknownWithoutCreatingAnIntent() {
        stripe.paymentMethod(PM, 503, error("api_error", null, null, "Service unavailable", null, null));
        assertThat(gateway.debit(request(KEY)).status()).isEqualTo(Status.UNKNOWN);
        assertThat(stripe.creates()).isEmpty();
    }

    @Test
    void aTokenThatIsNoPaymentMethodIdIsDeclinedWithoutAskingStripe() {
        DebitResult result = gateway.debit(new DebitRequest(KEY, "pm_tollgate1", "tok_visa", 2000, "usd", null));
        assertThat(result.status()).isEqualTo(Status.DECLINED);
        assertThat(result.declineReason()).isEqualTo("invalid_payment_method");
        assertThat(stripe.server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }
}

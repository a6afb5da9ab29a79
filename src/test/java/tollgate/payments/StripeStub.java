package tollgate.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stripe's HTTP API as a WireMock server on the loopback address, answering in the shapes of Stripe's API reference:
 * PaymentMethod and PaymentIntent objects, and {@code {"error": {...}}} bodies with a {@code Request-Id} header.
 * Only the fields Tollgate reads, and a few around them, are filled in.
 */
public final class StripeStub implements AutoCloseable {
    public static final String CUSTOMER = "cus_QxTollgate0001";
    public static final String PAYMENT_INTENTS = "/v1/payment_intents";

    public final WireMockServer server;

    public StripeStub() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
    }

    public String apiBase() {
        return "http://127.0.0.1:" + server.port();
    }

    public void reset() {
        server.resetAll();
    }

    @Override
    public void close() {
        server.stop();
    }

    /**
     * {@code GET /v1/payment_methods/{id}} answers a card on a customer of its own ({@link #customerOf}): Tollgate
     * refuses a card whose customer another account already uses.
     */
    public void card(String id, String brand, String last4, int expMonth, int expYear) {
        paymentMethod(id, 200, paymentMethodJson(id, "card", brand, last4, expMonth, expYear, customerOf(id)));
    }

    /** The customer {@link #card} saves a payment method on. */
    public static String customerOf(String paymentMethodId) {
        return "cus_" + paymentMethodId.substring(paymentMethodId.indexOf('_') + 1);
    }

    public void paymentMethod(String id, int status, String json) {
        server.stubFor(get(urlPathEqualTo("/v1/payment_methods/" + id)).willReturn(json(status, json)));
    }

    /** Stripe's 404 for an id it does not have. */
    public void noSuchPaymentMethod(String id) {
        paymentMethod(id, 404, error("invalid_request_error", "resource_missing", null,
                "No such PaymentMethod: '" + id + "'", "payment_method", null));
    }

    /** {@code POST /v1/payment_intents} answers {@code status} with {@code json}. */
    public void createAnswers(int status, String json) {
        server.stubFor(post(urlEqualTo(PAYMENT_INTENTS)).willReturn(json(status, json)));
    }

    public void createAnswers(ResponseDefinitionBuilder response) {
        server.stubFor(post(urlEqualTo(PAYMENT_INTENTS)).willReturn(response));
    }

    /** Every PaymentIntent create request so far, oldest first. */
    public List<LoggedRequest> creates() {
        return server.findAll(postRequestedFor(urlEqualTo(PAYMENT_INTENTS)));
    }

    /** A form-encoded body as Stripe reads it: {@code metadata[key]} and {@code payment_method_types[0]} keep their brackets. */
    public static Map<String, String> form(LoggedRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_TollgateStub" + status)
                .withBody(body);
    }

    public static String paymentMethodJson(String id, String type, String brand, String last4, int expMonth, int expYear,
                                           String customer) {
        String card = !"card".equals(type) ? "" : """
                  "card": {
                    "brand": "%s",
                    "checks": {"address_line1_check": null, "address_postal_code_check": null, "cvc_check": "pass"},
                    "country": "US",
                    "display_brand": "%s",
                    "exp_month": %d,
                    "exp_year": %d,
                    "fingerprint": "Xt5EWLLDS7FJjR1c",
                    "funding": "credit",
                    "last4": "%s",
                    "networks": {"available": ["%s"], "preferred": null},
                    "three_d_secure_usage": {"supported": true},
                    "wallet": null
                  },
                """.formatted(brand, brand, expMonth, expYear, last4, brand);
        String other = "card".equals(type) ? "" : "  \"" + type + "\": {},\n";
        return """
                {
                  "id": "%s",
                  "object": "payment_method",
                  "allow_redisplay": "always",
                  "billing_details": {
                    "address": {"city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null},
                    "email": null, "name": null, "phone": null
                  },
                %s%s  "created": 1730000000,
                  "customer": %s,
                  "livemode": false,
                  "metadata": {},
                  "type": "%s"
                }
                """.formatted(id, card, other, customer == null ? "null" : "\"" + customer + "\"", type);
    }

    /** A PaymentIntent in {@code status}, as create or retrieve answers it. */
    public static String paymentIntentJson(String id, String status, long amount, String idempotencyKey, String lastError) {
        return """
                {
                  "id": "%s",
                  "object": "payment_intent",
                  "amount": %d,
                  "amount_capturable": 0,
                  "amount_received": %d,
                  "capture_method": "automatic_async",
                  "client_secret": "%s_secret_stub",
                  "confirmation_method": "automatic",
                  "created": 1730000100,
                  "currency": "usd",
                  "customer": "%s",
                  "description": "Invoice INV-0001",
                  "last_payment_error": %s,
                  "latest_charge": %s,
                  "livemode": false,
                  "metadata": {"tollgate_idempotency_key": "%s", "tollgate_payment_method": "pm_tollgate1"},
                  "next_action": %s,
                  "off_session": true,
                  "payment_method": "pm_1QStubCard",
                  "payment_method_types": ["card"],
                  "status": "%s"
                }
                """.formatted(id, amount, "succeeded".equals(status) ? amount : 0, id, CUSTOMER,
                lastError == null ? "null" : lastError,
                "succeeded".equals(status) ? "\"ch_3QStubCharge\"" : "null", idempotencyKey,
                "requires_action".equals(status)
                        ? "{\"type\": \"use_stripe_sdk\", \"use_stripe_sdk\": {\"type\": \"three_d_secure_redirect\"}}" : "null",
                status);
    }

    /** Stripe's error body. {@code paymentIntent} is the intent's JSON, as card errors of a PaymentIntent carry it. */
    public static String error(String type, String code, String declineCode, String message, String param, String paymentIntent) {
        return "{\"error\": " + errorObject(type, code, declineCode, message, param, paymentIntent) + "}";
    }

    /** The error object itself, as {@code error} and a PaymentIntent's {@code last_payment_error} hold it. */
    public static String errorObject(String type, String code, String declineCode, String message, String param, String paymentIntent) {
        StringBuilder b = new StringBuilder("{\n");
        if (code != null) b.append("    \"code\": \"").append(code).append("\",\n");
        if (declineCode != null) b.append("    \"decline_code\": \"").append(declineCode).append("\",\n");
        if (code != null) b.append("    \"doc_url\": \"https://docs.stripe.com/error-codes/").append(code.replace('_', '-')).append("\",\n");
        if (param != null) b.append("    \"param\": \"").append(param).append("\",\n");
        if (paymentIntent != null) b.append("    \"payment_intent\": ").append(paymentIntent).append(",\n");
        if ("card_error".equals(type)) b.append("    \"charge\": \"ch_3QStubDeclined\",\n");
        b.append("    \"request_log_url\": \"https://dashboard.stripe.com/test/logs/req_TollgateStub\",\n");
        b.append("    \"message\": \"").append(message).append("\",\n");
        b.append("    \"type\": \"").append(type).append("\"\n  }");
        return b.toString();
    }

    /** The 402 of a declined off-session confirmation: the intent falls back to requires_payment_method. */
    public static String cardDeclined(String code, String declineCode, String message) {
        String lastError = errorObject("card_error", code, declineCode, message, null, null);
        return error("card_error", code, declineCode, message, null,
                paymentIntentJson("pi_3QStubDeclined", "requires_payment_method", 2000, "key", lastError));
    }
}

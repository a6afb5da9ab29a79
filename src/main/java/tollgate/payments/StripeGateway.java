package tollgate.payments;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.PaymentMethod;
import com.stripe.model.Refund;
import com.stripe.model.StripeError;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentListParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tollgate.core.Problem;

/**
 * Stripe behind the {@link Gateway} interface (SPEC §5). A token is a Stripe PaymentMethod id ({@code pm_…}) that the
 * tenant's own front end saved on a Stripe Customer; a charge is one PaymentIntent, confirmed off-session on that
 * customer's method, under the attempt's idempotency key.
 *
 * <p>Each instance has its own {@link StripeClient} (never the global {@code Stripe.apiKey}), so two gateways with
 * different keys or API bases live side by side. stripe-java's own network retries are off: a charge left unknown is
 * asked again by whoever records attempts, with the same idempotency key, and its answer is then the first one's.
 *
 * <p>Nothing here logs a token or a card number; messages are built from Stripe's codes and request ids only, because
 * Stripe's own texts can repeat what was sent.
 */
public final class StripeGateway implements Gateway {
    public static final String NAME = "stripe";
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A card authorisation at the issuer takes seconds; past this the answer is unknown and asked again later. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** The metadata keys every PaymentIntent carries, so that one can be found again by the attempt that made it. */
    public static final String METADATA_PAYMENT_METHOD = "tollgate_payment_method";
    public static final String METADATA_IDEMPOTENCY_KEY = "tollgate_idempotency_key";
    /** On the portal's Customers and SetupIntents: tenant/account, so a SetupIntent is accepted for its own account only. */
    public static final String METADATA_ACCOUNT = "tollgate_account";

    /** Stripe's ids are {@code pm_} and letters and digits; its test-mode shortcuts ({@code pm_card_visa}) add underscores. */
    private static final Pattern PAYMENT_METHOD_ID = Pattern.compile("pm_[A-Za-z0-9_]{1,250}");
    /** How far back a charge lost to a Stripe 5xx is looked for among its customer's PaymentIntents. */
    private static final long LOOKBACK = 100;
    private static final Logger log = LoggerFactory.getLogger(StripeGateway.class);

    private final StripeClient client;
    private final boolean testKey;

    public StripeGateway(String secretKey, String apiBase) {
        this(secretKey, apiBase, CONNECT_TIMEOUT, READ_TIMEOUT);
    }

    public StripeGateway(String secretKey, String apiBase, Duration connectTimeout, Duration readTimeout) {
        if (secretKey == null || secretKey.isBlank()) throw new IllegalArgumentException("a Stripe secret key is required");
        this.client = StripeClient.builder()
                .setApiKey(secretKey)
                .setApiBase(apiBase)
                .setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()))
                .setReadTimeout(Math.toIntExact(readTimeout.toMillis()))
                .setMaxNetworkRetries(0)
                .build();
        this.testKey = secretKey.startsWith("sk_test_") || secretKey.startsWith("rk_test_");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** A test-mode key ({@code sk_test_…}) moves no money, so test tenants may charge through it. */
    @Override
    public boolean movesRealMoney() {
        return !testKey;
    }

    /**
     * The card of the PaymentMethod {@code token}: empty for anything not shaped like {@code pm_…} (no call made), for
     * a PaymentMethod Stripe does not have, and for one that is not a card. A card on no Customer is refused
     * ({@code token_invalid}): Stripe charges a saved method off-session only on its customer. When Stripe cannot be
     * asked (timeout, 5xx, 429, our key refused) the answer is 503 {@code gateway_unavailable}: nothing was attached,
     * and the caller may simply try again.
     */
    @Override
    public Optional<Card> describe(String token) {
        if (token == null || !PAYMENT_METHOD_ID.matcher(token).matches()) return Optional.empty();
        PaymentMethod method;
        try {
            method = client.v1().paymentMethods().retrieve(token);
        } catch (InvalidRequestException e) {
            return Optional.empty();
        } catch (StripeException | RuntimeException e) {
            log.warn("Stripe did not describe a payment method: {}", failure(e));
            throw new Problem(503, "gateway_unavailable",
                    "The Stripe gateway did not answer (" + failure(e) + "); nothing was attached, try again", null);
        }
        PaymentMethod.Card card = method.getCard();
        if (!"card".equals(method.getType()) || card == null || card.getBrand() == null || card.getLast4() == null
                || card.getExpMonth() == null || card.getExpYear() == null)
            return Optional.empty();
        if (method.getCustomer() == null)
            throw Problem.invalid("token", "token_invalid",
                    "The Stripe PaymentMethod is on no Customer, so it cannot be charged later; attach it to one first");
        return Optional.of(new Card(card.getBrand().toLowerCase(Locale.ROOT), card.getLast4(),
                Math.toIntExact(card.getExpMonth()), Math.toIntExact(card.getExpYear()), method.getCustomer()));
    }

    /** A SetupIntent for the portal's card form: Stripe.js confirms it in the browser with {@code clientSecret}. */
    public record CardSetup(String id, String clientSecret) {}

    /**
     * Starts saving a card for {@code accountKey} (tenant/account) without its number reaching us: a Customer for the
     * account (one a day at most: Stripe keeps the idempotency key 24 hours) and an off-session SetupIntent on it.
     * 503 {@code gateway_unavailable} when Stripe cannot be asked.
     */
    public CardSetup startCardSetup(String accountKey, String email) {
        try {
            com.stripe.model.Customer customer = client.v1().customers().create(
                    com.stripe.param.CustomerCreateParams.builder().setEmail(email).putMetadata(METADATA_ACCOUNT, accountKey).build(),
                    RequestOptions.builder().setIdempotencyKey("tollgate-customer-" + accountKey + "-" + email).build());
            com.stripe.model.SetupIntent intent = client.v1().setupIntents().create(
                    com.stripe.param.SetupIntentCreateParams.builder().setCustomer(customer.getId())
                            .setUsage(com.stripe.param.SetupIntentCreateParams.Usage.OFF_SESSION)
                            .addPaymentMethodType("card").putMetadata(METADATA_ACCOUNT, accountKey).build());
            return new CardSetup(intent.getId(), intent.getClientSecret());
        } catch (StripeException | RuntimeException e) {
            log.warn("Stripe did not start a card setup: {}", failure(e));
            throw new Problem(503, "gateway_unavailable", "The Stripe gateway did not answer; try again", null);
        }
    }

    /**
     * The pm_ a SetupIntent saved, when it succeeded and was started for {@code accountKey}; otherwise 422
     * {@code token_invalid} (someone else's intent, or one not confirmed), 503 when Stripe cannot be asked.
     */
    public String finishCardSetup(String setupIntentId, String accountKey) {
        if (setupIntentId == null || !setupIntentId.matches("seti_[A-Za-z0-9_]{1,250}"))
            throw Problem.invalid("setup_intent", "token_invalid", "Not a Stripe SetupIntent id");
        com.stripe.model.SetupIntent intent;
        try {
            intent = client.v1().setupIntents().retrieve(setupIntentId);
        } catch (InvalidRequestException e) {
            throw Problem.invalid("setup_intent", "token_invalid", "Stripe does not know this SetupIntent");
        } catch (StripeException | RuntimeException e) {
            log.warn("Stripe did not read a SetupIntent: {}", failure(e));
            throw new Problem(503, "gateway_unavailable", "The Stripe gateway did not answer; try again", null);
        }
        if (intent.getMetadata() == null || !accountKey.equals(intent.getMetadata().get(METADATA_ACCOUNT)))
            throw Problem.invalid("setup_intent", "token_invalid", "This SetupIntent was started for another account");
        if (!"succeeded".equals(intent.getStatus()) || intent.getPaymentMethod() == null)
            throw Problem.invalid("setup_intent", "token_invalid", "The card was not confirmed (" + intent.getStatus() + ")");
        return intent.getPaymentMethod();
    }

    /**
     * One off-session PaymentIntent on the method's customer, under the request's idempotency key. Never throws for
     * anything Stripe or the network does: a decline is {@code DECLINED} with a reason of {@link DebitOutcome}; not
     * knowing (timeout, connection, 5xx, 429, our key refused, {@code processing}) is {@code UNKNOWN}.
     */
    @Override
    public DebitResult debit(DebitRequest request) {
        if (!PAYMENT_METHOD_ID.matcher(request.token()).matches())
            return declined(null, DebitOutcome.INVALID_PAYMENT_METHOD, "not a Stripe PaymentMethod id");
        // The customer is Stripe's to know: asking costs one read and keeps the stored token a plain pm_ id.
        String customer;
        try {
            customer = client.v1().paymentMethods().retrieve(request.token()).getCustomer();
        } catch (InvalidRequestException e) {
            return declined(null, DebitOutcome.INVALID_PAYMENT_METHOD, failure(e));
        } catch (StripeException | RuntimeException e) {
            return unknown(null, "payment method not read: " + failure(e));
        }

        PaymentIntentCreateParams.Builder params = PaymentIntentCreateParams.builder()
                .setAmount(request.amount())
                .setCurrency(request.currency().toLowerCase(Locale.ROOT))
                .setPaymentMethod(request.token())
                // Only the card: automatic payment methods would ask for a return_url no off-session charge has.
                .addPaymentMethodType("card")
                .setConfirm(true)
                .setOffSession(true)
                .putMetadata(METADATA_IDEMPOTENCY_KEY, request.idempotencyKey());
        if (customer != null) params.setCustomer(customer);
        if (request.paymentMethodId() != null) params.putMetadata(METADATA_PAYMENT_METHOD, request.paymentMethodId());
        if (request.description() != null) params.setDescription(request.description());
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(request.idempotencyKey()).build();
        try {
            return outcome(current(client.v1().paymentIntents().create(params.build(), options)));
        } catch (CardException e) {
            StripeError error = e.getStripeError();
            String intent = error != null && error.getPaymentIntent() != null ? error.getPaymentIntent().getId() : null;
            return declined(intent, declineReason(e.getCode(), e.getDeclineCode()), failure(e));
        } catch (IdempotencyException e) {
            // The key was used with other parameters: a mistake of ours, and no proof either way of the first use.
            return unknown(null, failure(e));
        } catch (InvalidRequestException e) {
            return declined(null, DebitOutcome.INVALID_PAYMENT_METHOD, failure(e));
        } catch (ApiException e) {
            // Stripe keeps a 5xx under the key and answers it again to every retry; its customer's list may know better.
            return lostIntent(customer, request.idempotencyKey()).orElseGet(() -> unknown(null, failure(e)));
        } catch (StripeException | RuntimeException e) {
            return unknown(null, failure(e));
        }
    }

    /**
     * One Refund of the PaymentIntent {@code request.charge()}, under the refund's idempotency key and with that key in
     * its metadata. Asked again, the refund is read by its id when Stripe gave one, else looked for among the
     * PaymentIntent's refunds by that metadata before anything is created: Stripe forgets idempotency keys after 24
     * hours, and a refund must never be made twice. {@code pending} and {@code requires_action} refunds, 5xx, timeouts
     * and refused keys are PENDING (asked again later); a refund Stripe refuses (already refunded, disputed) is FAILED.
     */
    @Override
    public RefundResult refund(RefundRequest request) {
        try {
            if (request.askedBefore()) {
                Refund known = request.gatewayId() != null ? client.v1().refunds().retrieve(request.gatewayId())
                        : madeBefore(request).orElse(null);
                if (known != null) return refundOutcome(known);
            }
            RefundCreateParams params = RefundCreateParams.builder()
                    .setPaymentIntent(request.charge())
                    .setAmount(request.amount())
                    .putMetadata(METADATA_IDEMPOTENCY_KEY, request.idempotencyKey())
                    .build();
            RequestOptions options = RequestOptions.builder().setIdempotencyKey(request.idempotencyKey()).build();
            return refundOutcome(client.v1().refunds().create(params, options));
        } catch (InvalidRequestException e) {
            // charge_already_refunded, charge_disputed, amount too large, no such PaymentIntent: Stripe will not do it.
            String code = e.getCode();
            return RefundResult.failed(null, "charge_already_refunded".equals(code) ? RefundResult.CHARGE_NOT_REFUNDABLE
                    : code == null ? "declined" : code.length() > 60 ? code.substring(0, 60) : code, failure(e));
        } catch (StripeException | RuntimeException e) {
            log.warn("A Stripe refund's outcome is unknown: {}", failure(e));
            return RefundResult.pending(null, failure(e));
        }
    }

    /** A refund of the PaymentIntent made earlier under this request's key, found by its metadata. */
    private Optional<Refund> madeBefore(RefundRequest request) throws StripeException {
        RefundListParams params = RefundListParams.builder().setPaymentIntent(request.charge()).setLimit(LOOKBACK).build();
        for (Refund r : client.v1().refunds().list(params).getData()) {
            if (r.getMetadata() != null && request.idempotencyKey().equals(r.getMetadata().get(METADATA_IDEMPOTENCY_KEY)))
                return Optional.of(r);
        }
        return Optional.empty();
    }

    private static RefundResult refundOutcome(Refund refund) {
        String status = refund.getStatus() == null ? "" : refund.getStatus();
        return switch (status) {
            case "succeeded" -> RefundResult.succeeded(refund.getId());
            case "failed", "canceled" -> RefundResult.failed(refund.getId(),
                    refund.getFailureReason() == null ? "declined" : refund.getFailureReason(), "Refund " + status);
            default -> RefundResult.pending(refund.getId(), "Refund " + (status.isEmpty() ? "without a status" : status));
        };
    }

    /** A reason of {@link DebitOutcome} for Stripe's error {@code code} and issuer's {@code decline_code}. */
    public static String declineReason(String code, String declineCode) {
        if (DebitOutcome.AUTHENTICATION_REQUIRED.equals(code) || DebitOutcome.AUTHENTICATION_REQUIRED.equals(declineCode))
            return DebitOutcome.AUTHENTICATION_REQUIRED;
        if (DebitOutcome.EXPIRED_CARD.equals(code) || DebitOutcome.EXPIRED_CARD.equals(declineCode))
            return DebitOutcome.EXPIRED_CARD;
        if (declineCode == null) return DebitOutcome.GENERIC_DECLINE;
        return switch (declineCode) {
            case "insufficient_funds" -> DebitOutcome.INSUFFICIENT_FUNDS;
            // Both mean the card is gone; neither is worth a retry.
            case "lost_card", "stolen_card" -> DebitOutcome.LOST_CARD;
            // Every other issuer reason (do_not_honor, fraudulent, …) is told as Stripe advises telling it to customers.
            default -> DebitOutcome.GENERIC_DECLINE;
        };
    }

    /**
     * A PaymentIntent answered as still under way ({@code processing}) is read once more: an idempotent retry gets the
     * first answer back word for word, so only a fresh read tells how it ended.
     */
    private PaymentIntent current(PaymentIntent intent) {
        if (isFinal(intent.getStatus()) || intent.getId() == null) return intent;
        try {
            return client.v1().paymentIntents().retrieve(intent.getId());
        } catch (StripeException | RuntimeException e) {
            return intent;
        }
    }

    private static boolean isFinal(String status) {
        return switch (status == null ? "" : status) {
            case "succeeded", "requires_action", "requires_payment_method", "canceled" -> true;
            default -> false;
        };
    }

    private static DebitResult outcome(PaymentIntent intent) {
        String status = intent.getStatus() == null ? "" : intent.getStatus();
        return switch (status) {
            case "succeeded" -> DebitResult.succeeded(intent.getId());
            // Off-session, Stripe normally answers a 402 authentication_required instead; either way the customer must act.
            case "requires_action" -> declined(intent.getId(), DebitOutcome.AUTHENTICATION_REQUIRED, "requires_action");
            case "requires_payment_method" -> {
                StripeError last = intent.getLastPaymentError();
                yield last == null
                        ? declined(intent.getId(), DebitOutcome.GENERIC_DECLINE, "requires_payment_method")
                        : declined(intent.getId(), declineReason(last.getCode(), last.getDeclineCode()), codes(last.getCode(), last.getDeclineCode()));
            }
            case "canceled" -> declined(intent.getId(), DebitOutcome.GENERIC_DECLINE, "canceled");
            default -> unknown(intent.getId(), "PaymentIntent " + (status.isEmpty() ? "without a status" : status));
        };
    }

    /**
     * The PaymentIntent an earlier call under {@code idempotencyKey} made, if Stripe's list of the customer's recent ones
     * has it. Empty when it has none, or cannot be read: the charge stays unknown.
     */
    private Optional<DebitResult> lostIntent(String customer, String idempotencyKey) {
        if (customer == null) return Optional.empty();
        try {
            PaymentIntentListParams params = PaymentIntentListParams.builder().setCustomer(customer).setLimit(LOOKBACK).build();
            for (PaymentIntent intent : client.v1().paymentIntents().list(params).getData()) {
                if (intent.getMetadata() != null && idempotencyKey.equals(intent.getMetadata().get(METADATA_IDEMPOTENCY_KEY)))
                    return Optional.of(outcome(current(intent)));
            }
        } catch (StripeException | RuntimeException e) {
            log.warn("Stripe's PaymentIntents could not be listed: {}", failure(e));
        }
        return Optional.empty();
    }

    private static DebitResult declined(String gatewayId, String reason, String message) {
        return new DebitResult(DebitResult.Status.DECLINED, gatewayId, reason, message);
    }

    private static DebitResult unknown(String gatewayId, String message) {
        log.warn("A Stripe charge's outcome is unknown: {}", message);
        return new DebitResult(DebitResult.Status.UNKNOWN, gatewayId, null, message);
    }

    /** What went wrong, in Stripe's codes and ids only. */
    private static String failure(Exception e) {
        if (e instanceof ApiConnectionException c)
            return "no answer from Stripe: " + (c.getCause() == null ? "connection failed" : c.getCause().getClass().getSimpleName());
        if (e instanceof StripeException s) {
            String declineCode = s instanceof CardException card ? card.getDeclineCode() : null;
            String codes = codes(s.getCode(), declineCode);
            return "HTTP " + s.getStatusCode() + (codes.isEmpty() ? "" : " " + codes)
                    + (s.getRequestId() == null ? "" : " (" + s.getRequestId() + ")");
        }
        return e.getClass().getSimpleName();
    }

    private static String codes(String code, String declineCode) {
        if (code == null) return declineCode == null ? "" : declineCode;
        return declineCode == null ? code : code + "/" + declineCode;
    }
}

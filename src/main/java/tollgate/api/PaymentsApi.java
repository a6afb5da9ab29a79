package tollgate.api;

import java.util.List;
import java.util.Set;
import tollgate.core.Page;
import tollgate.core.Problem;
import tollgate.payments.Payment;
import tollgate.payments.PaymentAttempt;
import tollgate.payments.Payments;

/**
 * Paying invoices (SPEC §5, §10): a payment round on demand, offline payments recorded by the tenant, and the record
 * of every attempt and payment. A declined round answers 402 after its attempts are committed: they stay on record.
 */
public final class PaymentsApi implements Api {
    /** How money arrives outside the gateway. */
    static final Set<String> OFFLINE_METHODS = Set.of("wire", "check", "cash", "other");
    private final Payments payments;

    public PaymentsApi(Payments payments) {
        this.payments = payments;
    }

    @Override
    public String openApiFragment() {
        return "payments";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/invoices/{id}/pay", this::pay),
                Route.post("/v1/invoices/{id}/record_payment", this::recordPayment).inOneTransaction(),
                Route.get("/v1/invoices/{id}/payment_attempts",
                        call -> Page.newestFirst(payments.attemptsOf(call.tenant(), call.path("id")), call.paging(), PaymentAttempt::id)),
                Route.get("/v1/invoices/{id}/payments",
                        call -> Page.newestFirst(payments.paymentsOf(call.tenant(), call.path("id")), call.paging(), Payment::id)));
    }

    private Object pay(Call call) {
        Body b = call.body().only("payment_method");
        // A retry that took over the key of a pay cut off after its round began (decision 075) answers from the invoice.
        Payments.Round round = call.resumedFrom() != null
                ? payments.payResumed(call.tenant(), call.path("id"), b.optString("payment_method"), call.recoveryPoint())
                : payments.pay(call.tenant(), call.path("id"), b.optString("payment_method"), call.recoveryPoint());
        return switch (round.outcome()) {
            case PAID, PARTLY_PAID, NOTHING_DUE -> round.invoice();
            case FAILED -> throw new Problem(402, "card_declined",
                    "The payment was declined (" + round.declineReason() + "); the invoice stays open", null);
            case NO_METHOD -> throw new Problem(402, "payment_method_required",
                    "The account has no payment method to charge; add one or record an offline payment", null);
            // The gateway could not say whether the charge went through; it is asked again later, never charged twice.
            case UNDECIDED -> Reply.json(202, round.invoice());
        };
    }

    private Object recordPayment(Call call) {
        Body b = call.body().only("amount", "method", "reference");
        Long amount = b.optLong("amount");
        if (amount == null) throw Problem.missing("amount");
        String method = b.optString("method");
        if (method == null) throw Problem.missing("method");
        if (!OFFLINE_METHODS.contains(method))
            throw Problem.invalid("method", "parameter_invalid", "'method' must be one of wire, check, cash, other");
        return payments.recordPayment(call.tenant(), call.path("id"), amount, method, b.optString("reference"));
    }
}

package tollgate.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tollgate.invoicing.Discount;
import tollgate.invoicing.Invoice;
import tollgate.invoicing.InvoiceStatus;
import tollgate.invoicing.PaymentTerms;

/** An invoice as the API shows it (SPEC §10; openapi fragment {@code invoices}): field order is the answer's. */
public record InvoiceJson(String id, String object, String account, String number, InvoiceStatus status, String currency,
                          Instant billingDate, Instant issuedAt, Instant periodStart, Instant periodEnd,
                          long subtotal, long discount, long tax, long total, long amountPaid, long amountCredited,
                          long appliedBalance, long amountDue, int attemptCount, Instant nextPaymentAttempt, List<Line> lines,
                          List<DiscountJson> discounts, PaymentTerms.Method collectionMethod, Instant dueDate, Integer daysUntilDue,
                          Map<String, String> metadata) {

    public record Line(String id, String kind, String description, String plan, String subscription, String license,
                       String keySuffix, String siteUrl, Instant periodStart, Instant periodEnd, long quantity,
                       Integer days, long amount) {
        static Line of(Invoice.Line l) {
            return new Line(l.id(), l.kind(), l.description(), l.plan(), l.subscription(), l.license(), l.keySuffix(),
                    l.siteUrl(), l.periodStart(), l.periodEnd(), l.quantity(), l.days(), l.amount());
        }
    }

    public record DiscountJson(String coupon, String subscription, String description, long amount) {
        static DiscountJson of(Discount d) {
            return new DiscountJson(d.coupon(), d.subscription(), d.description(), d.amount());
        }
    }

    public static InvoiceJson of(Invoice i) {
        return new InvoiceJson(i.id(), "invoice", i.account(), i.number(), i.status(), i.currency(), i.billingDate(),
                i.issuedAt(), i.periodStart(), i.periodEnd(), i.subtotal(), i.discount(), i.tax(), i.total(), i.amountPaid(),
                i.amountCredited(), i.appliedBalance(), i.amountDue(), i.attemptCount(), i.nextPaymentAttempt(),
                i.lines().stream().map(Line::of).toList(), i.discounts().stream().map(DiscountJson::of).toList(),
                i.collectionMethod(), i.dueDate(), i.daysUntilDue(), i.metadata());
    }
}

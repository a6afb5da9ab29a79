package tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import tollgate.testing.ApiClient.Res;

/**
 * An account's issued invoices as the API shows them, for scenario tests that state exact dates and cents. The
 * parts asserted are records, so a failure prints the whole head or line. Payment fields (status, amount paid,
 * amount due, attempts) are left out on purpose: charging on issue changes them, not what was billed.
 */
public final class IssuedInvoices {
    private IssuedInvoices() {}

    /** What an invoice bills: its number, billing date, the span its lines cover and its amounts. */
    public record Head(String number, String billingDate, String periodStart, String periodEnd, long subtotal,
                       long discount, long total) {}

    /** One line: what it is for, how many, how many days (null when not prorated), its amount and period. */
    public record Line(String kind, String description, long quantity, Integer days, long amount, String periodStart,
                       String periodEnd) {}

    /** A coupon's reduction as the invoice lists it. */
    public record Off(String description, long amount) {}

    /**
     * Every invoice of the account, oldest first, each read with {@code GET /v1/invoices/{id}}. One page of up to
     * 100 is enough for these scenarios; more would fail the test rather than go unseen.
     */
    public static List<JsonNode> oldestFirst(ApiClient api, String account) {
        Res page = api.get("/v1/accounts/" + account + "/invoices?limit=100");
        if (page.status() != 200) throw new AssertionError("invoices not listed: " + page);
        if (page.json().get("has_more").asBoolean()) throw new AssertionError("more than 100 invoices for " + account);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode listed : page.json().get("data")) {
            Res one = api.get("/v1/invoices/" + listed.get("id").asText());
            if (one.status() != 200) throw new AssertionError("invoice not read: " + one);
            out.addFirst(one.json());
        }
        return out;
    }

    public static Head head(JsonNode invoice) {
        return new Head(invoice.get("number").asText(), invoice.get("billing_date").asText(),
                invoice.get("period_start").asText(), invoice.get("period_end").asText(), invoice.get("subtotal").asLong(),
                invoice.get("discount").asLong(), invoice.get("total").asLong());
    }

    public static List<Line> lines(JsonNode invoice) {
        List<Line> out = new ArrayList<>();
        for (JsonNode l : invoice.get("lines")) {
            JsonNode days = l.get("days");
            out.add(new Line(l.get("kind").asText(), l.get("description").asText(), l.get("quantity").asLong(),
                    days == null || days.isNull() ? null : days.asInt(), l.get("amount").asLong(),
                    l.get("period_start").asText(), l.get("period_end").asText()));
        }
        return out;
    }

    public static List<Off> discounts(JsonNode invoice) {
        List<Off> out = new ArrayList<>();
        for (JsonNode d : invoice.get("discounts")) out.add(new Off(d.get("description").asText(), d.get("amount").asLong()));
        return out;
    }
}

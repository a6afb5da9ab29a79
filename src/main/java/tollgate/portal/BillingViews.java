package tollgate.portal;

import java.util.List;
import tollgate.web.Form;
import tollgate.web.Layout;

/** The view models of the Billing and Company details pages (decision 036): strings ready to show, nothing to compute. */
public final class BillingViews {
    private BillingViews() {}

    /** A row of an amounts table: what, how much (formatted), and a detail line. */
    public record Row(String label, String detail, String amount) {}

    /** The subscription's badge: its label and CSS modifier (trial, active, past-due, suspended, canceled). */
    public record Badge(String label, String css) {}

    /** One license's month so far: site (or "Not assigned"), key suffix, plan, active days and cost. */
    public record SiteCost(String site, String key, String plan, String days, String amount) {}

    /** The licenses of the month so far; {@code shown} is at most a page of them, the total covers all. */
    public record Licenses(int count, String month, String total, List<SiteCost> shown, int more) {}

    /** The next invoice as the billing run would write it. */
    public record Preview(String date, List<Row> lines, List<Row> discounts, String subtotal, String total) {}

    /** The live subscription as the management view shows it; {@code toCome}: prorations owed, each with its invoice date. */
    public record Managed(String planName, Badge badge, String interval, String periodStart, String periodEnd, String renewsOn,
                   boolean seatsPlan, int includedSeats, Integer seats, Integer pendingSeats, String seatPrice,
                   List<Row> periodRows, String periodDiscountLabel, String periodDiscount, String periodTotal, String periodNote,
                   List<Row> toCome, boolean cancelAtPeriodEnd, String notice, Form seatsForm, boolean seatsFromUsers, String usersHref) {}

    /** A plan to start: id, name and its price in words. */
    public record PlanChoice(String id, String name, String price, boolean seats, int includedSeats) {}

    /** With no live subscription: the plans to start one from (and the last canceled one, if any). */
    /** {@code formToken}: one per form shown, so that the same form sent twice starts one subscription. */
    public record Start(List<PlanChoice> plans, Form form, String canceledPlan, String canceledOn, boolean cardMissing,
                 String addCardHref, String formToken) {}

    public record Billing(Layout layout, Managed managed, Start start, Licenses licenses, Preview preview, String currency,
                   String seatsAction, String cancelHref, String reactivateAction, String subscribeAction) {}

    /** The confirmation of a change: what is asked, what follows, and the form that does it. */
    public record Confirm(Layout layout, String title, String lead, List<String> follows, String action, String button,
                   String backHref, List<Form.Option> hidden, boolean danger) {}

    public record Company(Layout layout, Form form, List<Form.Option> countries, List<Form.Option> zones, String currentZone,
                   String pendingZone, String action) {}
}

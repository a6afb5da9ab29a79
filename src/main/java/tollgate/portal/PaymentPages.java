package tollgate.portal;

import io.javalin.http.Context;
import tollgate.dunning.Dunning;
import tollgate.invoicing.Invoices;
import tollgate.payments.Gateways;
import tollgate.payments.PaymentMethods;
import tollgate.payments.Payments;
import tollgate.web.Layout;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * The portal's money pages (decision 035): payment methods ({@link CardPages}), invoices ({@link InvoicePages}) and the
 * unpaid notice every page shows ({@link UnpaidNotice}). All of it is for owners and admins only. Services come in
 * from the wiring; the portal's request, layout and page helpers come in with {@link #routes}.
 */
public final class PaymentPages {
    final PaymentMethods methods;
    final Payments payments;
    final Invoices invoices;
    final Dunning dunning;
    final Gateways gateways;
    /** Stripe.js's publishable key (pk_…), or null: cards cannot then be added through Stripe in the portal. */
    volatile String stripePublishableKey;
    private final UnpaidNotice notice;
    Portal portal;

    public PaymentPages(PaymentMethods methods, Payments payments, Invoices invoices, Dunning dunning, Gateways gateways,
                        String stripePublishableKey) {
        this.methods = methods;
        this.payments = payments;
        this.invoices = invoices;
        this.dunning = dunning;
        this.gateways = gateways;
        this.stripePublishableKey = stripePublishableKey;
        this.notice = new UnpaidNotice(dunning, invoices, payments);
    }

    /** Tests set the key the environment would give ({@code TOLLGATE_STRIPE_PUBLISHABLE_KEY}). */
    void usePublishableKey(String key) {
        this.stripePublishableKey = key;
    }

    void routes(Portal portal, Web.Router router) {
        this.portal = portal;
        new CardPages(this).routes(router);
        new InvoicePages(this).routes(router);
    }

    /** The unpaid notice for the request's account, or null: one indexed read when nothing is past due. */
    Layout.Banner banner(PortalRequest req) {
        if (!req.signedIn()) return null;
        return notice.of(req);
    }

    /** The signed-in request of an owner or admin; anyone else gets the 403 page. */
    PortalRequest manager(Context ctx) {
        PortalRequest req = portal.signedIn(ctx);
        if (!req.user().orElseThrow().managesUsers()) throw WebError.forbidden();
        return req;
    }

    // ---- one effect per form, however often it is sent, on whichever node (decision 040) ----

    /** A fresh token for a form whose POST must act once (adding a card, paying). */
    static String newFormToken() {
        return tollgate.web.FormTokens.newToken();
    }

    /** True the first time a form's token is sent in this session, on any node; a missing or malformed token never acts. */
    boolean firstUse(PortalRequest req, String formToken) {
        return portal.formTokens.firstUse(req.session(), formToken);
    }

    /** Where to go back to after adding a card: a page of this portal only (no other site, no scheme). */
    static String safeReturn(String value) {
        if (value == null || value.isBlank()) return null;
        return value.matches("[a-z0-9][a-z0-9_/-]{0,100}") && !value.contains("//") ? value : null;
    }
}

package tollgate.portal;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.payments.Gateway;
import tollgate.payments.PaymentMethod;
import tollgate.payments.SandboxGateway;
import tollgate.payments.StripeGateway;
import tollgate.portal.PaymentViews.CardRow;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * Payment methods: the list, adding a card (sandbox test cards in test mode; Stripe's card element and a SetupIntent
 * with Stripe, so card numbers never reach us), making one primary, and deleting one (the primary only after a
 * confirmation that names the card that takes its place). Every change goes through {@link tollgate.payments.PaymentMethods},
 * as the API's do.
 */
final class CardPages {
    /** Stripe.js may load on the add-card page only: its script, its frames, and its API. */
    static final String STRIPE_CSP = Web.CSP
            .replace("script-src 'self'", "script-src 'self' https://js.stripe.com")
            .replace("connect-src 'self'", "connect-src 'self' https://api.stripe.com")
            + "; frame-src https://js.stripe.com https://hooks.stripe.com";

    private final PaymentPages p;
    private final byte[] setupJs;
    private final String setupJsName;

    CardPages(PaymentPages p) {
        this.p = p;
        try (InputStream in = CardPages.class.getResourceAsStream("/web/card-setup.js")) {
            this.setupJs = in.readAllBytes();
            this.setupJsName = "card-setup-" + HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(setupJs)).substring(0, 12) + ".js";
        } catch (IOException | java.security.NoSuchAlgorithmException | NullPointerException e) {
            throw new IllegalStateException("/web/card-setup.js is missing from the jar", e);
        }
    }

    void routes(Web.Router router) {
        router.get("/portal/{slug}/payment-methods", this::list);
        router.get("/portal/{slug}/payment-methods/new", this::addForm);
        router.post("/portal/{slug}/payment-methods/new", this::add);
        router.post("/portal/{slug}/payment-methods/{id}/primary", this::makePrimary);
        router.get("/portal/{slug}/payment-methods/{id}/delete", this::confirmDelete);
        router.post("/portal/{slug}/payment-methods/{id}/delete", this::delete);
        router.get("/portal/{slug}/" + setupJsName, this::script);
    }

    private void list(Context ctx) {
        PortalRequest req = p.manager(ctx);
        List<CardRow> rows = cards(req).stream().map(m -> CardRow.of(m, req)).toList();
        p.portal.pages.send(ctx, "portal/payment-methods.jte", new PaymentViews.PaymentMethodsPage(
                p.portal.layout(ctx, req, "Payment methods", "payment-methods"), rows, addHref(req, ctx)));
    }

    /** "Add a card" keeps the page to return to (the Billing page's "Add a card" lands on this list first). */
    private static String addHref(PortalRequest req, Context ctx) {
        String back = PaymentPages.safeReturn(ctx.queryParam("return"));
        return req.href(back == null ? "payment-methods/new" : "payment-methods/new?return=" + back);
    }

    private void addForm(Context ctx) {
        PortalRequest req = p.manager(ctx);
        sendAddForm(ctx, req, 200, Form.empty().with("primary", "on"), PaymentPages.safeReturn(ctx.queryParam("return")), null);
    }

    private void sendAddForm(Context ctx, PortalRequest req, int status, Form form, String returnTo, String error) {
        Gateway gateway;
        try {
            gateway = p.gateways.forAttaching(req.tenant());
        } catch (Problem e) {
            throw new WebError(503, "Cards cannot be added right now", "This billing account has no card gateway set up yet. Please contact us.");
        }
        if (error != null) form.reject("token", error);
        List<PaymentViews.TestCardChoice> testCards = List.of();
        PaymentViews.StripeSetup stripe = null;
        if (gateway instanceof StripeGateway s) {
            String publishableKey = p.gateways.stripePublishableKey(req.tenant(), p.stripePublishableKey);
            if (publishableKey == null)
                throw new WebError(503, "Cards cannot be added right now", "Stripe's publishable key is not configured. Please contact us.");
            StripeGateway.CardSetup setup = s.startCardSetup(accountKey(req), req.account().orElseThrow().email());
            stripe = new PaymentViews.StripeSetup(publishableKey, setup.clientSecret(), setup.id(), req.href(setupJsName));
            ctx.header("Content-Security-Policy", STRIPE_CSP);
        } else {
            testCards = SandboxGateway.testCards().stream().map(c -> new PaymentViews.TestCardChoice(c.token(),
                    PaymentViews.brandName(c.card().brand()) + " ending in " + c.card().last4(),
                    String.format("%02d/%d", c.card().expMonth(), c.card().expYear()), c.outcome(),
                    c.outcome().startsWith("Payments succeed"))).toList();
        }
        boolean hasCards = !cards(req).isEmpty();
        String cancel = returnTo != null ? req.href(returnTo) : req.href("payment-methods");
        p.portal.pages.send(ctx, status, "portal/add-card.jte", new PaymentViews.AddCardPage(
                p.portal.layout(ctx, req, "Add a card", "payment-methods"), form, testCards, stripe, hasCards, returnTo,
                PaymentPages.newFormToken(), req.href("payment-methods/new"), cancel));
    }

    private void add(Context ctx) {
        PortalRequest req = p.manager(ctx);
        Form form = Form.posted(ctx, "token", "setup_intent", "primary", "return", "form_token");
        String returnTo = PaymentPages.safeReturn(form.value("return"));
        String done = returnTo != null ? req.href(returnTo) : req.href("payment-methods");
        Gateway gateway = p.gateways.forAttaching(req.tenant());
        String token;
        if (gateway instanceof StripeGateway s) {
            if (form.optional("setup_intent") == null) {
                sendAddForm(ctx, req, 422, form, returnTo, "Enter your card's details.");
                return;
            }
            try {
                token = s.finishCardSetup(form.value("setup_intent"), accountKey(req));
            } catch (Problem e) {
                sendAddForm(ctx, req, 422, form, returnTo, "Your card could not be saved: " + e.getMessage());
                return;
            }
        } else {
            token = form.optional("token");
            if (token == null || SandboxGateway.testCards().stream().noneMatch(c -> c.token().equals(token))) {
                sendAddForm(ctx, req, 422, form, returnTo, "Choose one of the test cards.");
                return;
            }
        }
        // A second send of the same form (double click, reload) adds nothing: it goes where the first went.
        if (!p.firstUse(req, form.optional("form_token"))) throw new SeeOther(done);
        PaymentMethod added;
        try {
            added = p.methods.attach(req.tenant(), req.account().orElseThrow().id(), token, form.optional("primary") != null);
        } catch (Problem e) {
            sendAddForm(ctx, req, 422, form, returnTo, "Your card could not be saved: " + e.getMessage());
            return;
        }
        p.portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, PaymentViews.brandName(added.brand()) + " ending in " + added.last4()
                + " was added" + (added.primary() ? " as your primary card." : "."), req.base());
        throw new SeeOther(done);
    }

    private void makePrimary(Context ctx) {
        PortalRequest req = p.manager(ctx);
        PaymentMethod m = own(req, ctx.pathParam("id"));
        p.methods.makePrimary(req.tenant(), m.id());
        p.portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, PaymentViews.brandName(m.brand()) + " ending in " + m.last4()
                + " is now your primary card: invoices are charged to it first.", req.base());
        throw new SeeOther(req.href("payment-methods"));
    }

    private void confirmDelete(Context ctx) {
        PortalRequest req = p.manager(ctx);
        List<PaymentMethod> all = cards(req);
        PaymentMethod m = all.stream().filter(c -> c.id().equals(ctx.pathParam("id"))).findFirst().orElseThrow(WebError::notFound);
        CardRow promoted = promotedIfDeleted(m, all).map(c -> CardRow.of(c, req)).orElse(null);
        p.portal.pages.send(ctx, "portal/delete-card.jte", new PaymentViews.DeleteCardPage(
                p.portal.layout(ctx, req, "Delete payment method", "payment-methods"), CardRow.of(m, req), promoted,
                req.href("payment-methods/" + m.id() + "/delete"), req.href("payment-methods")));
    }

    private void delete(Context ctx) {
        PortalRequest req = p.manager(ctx);
        PaymentMethod m;
        try {
            m = own(req, ctx.pathParam("id"));
        } catch (WebError gone) {
            // Sent twice: the first send deleted it.
            throw new SeeOther(req.href("payment-methods"));
        }
        tollgate.payments.DetachedPaymentMethod detached;
        try {
            detached = p.methods.detach(req.tenant(), m.id());
        } catch (Problem e) {
            if (e.status() == 404) throw new SeeOther(req.href("payment-methods"));
            throw e;
        }
        String message = PaymentViews.brandName(m.brand()) + " ending in " + m.last4() + " was deleted.";
        if (detached.promoted() != null) {
            PaymentMethod promoted = p.methods.get(req.tenant(), detached.promoted());
            message += " " + PaymentViews.brandName(promoted.brand()) + " ending in " + promoted.last4() + " is now your primary card.";
        }
        p.portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, message, req.base());
        throw new SeeOther(req.href("payment-methods"));
    }

    private void script(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.contentType("text/javascript; charset=utf-8").result(setupJs);
    }

    /** The account's cards, primary first then oldest first (an account has a handful: one page holds them all). */
    List<PaymentMethod> cards(PortalRequest req) {
        return p.methods.list(req.tenant(), req.account().orElseThrow().id(), new Paging(Paging.MAX_LIMIT, null)).data();
    }

    /**
     * The card that becomes primary if {@code m} is deleted: the service promotes the oldest remaining one, and the
     * list is primary first, then oldest first.
     */
    static Optional<PaymentMethod> promotedIfDeleted(PaymentMethod m, List<PaymentMethod> primaryThenOldest) {
        if (!m.primary()) return Optional.empty();
        return primaryThenOldest.stream().filter(c -> !c.id().equals(m.id())).findFirst();
    }

    /** The account's own card, or the 404 page (another account's id, or a card already deleted). */
    private PaymentMethod own(PortalRequest req, String id) {
        try {
            PaymentMethod m = p.methods.get(req.tenant(), id);
            if (m.account().equals(req.account().orElseThrow().id())) return m;
        } catch (Problem e) {
            if (e.status() != 404) throw e;
        }
        throw WebError.notFound();
    }

    private static String accountKey(PortalRequest req) {
        return req.tenant().id() + "/" + req.account().orElseThrow().id();
    }
}

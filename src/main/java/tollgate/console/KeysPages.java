package tollgate.console;

import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.tenants.ApiKey;
import tollgate.tenants.SecretKeys;
import tollgate.webhooks.Delivery;
import tollgate.webhooks.EndpointRules;
import tollgate.webhooks.WebhookEndpoint;
import tollgate.webhooks.WebhookEndpoints;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * Settings → API keys (create, see once, revoke) and Webhooks (endpoints, each with its delivery log), decision 041.
 * Owners and admins only; every change audited. A secret is shown once, in the answer to the POST that made it (a 200
 * page, never a redirect or a flash cookie), as the API shows it once. Revoking a key and deleting an endpoint cannot be
 * undone: each first says what follows, as the account actions do ({@link ActionForms}), and runs once.
 */
public final class KeysPages implements ConsolePages {
    private final SecretKeys keys;
    private final WebhookEndpoints webhooks;
    private final ActionForms forms;
    private Console console;

    public KeysPages(SecretKeys keys, WebhookEndpoints webhooks, ActionForms forms) {
        this.keys = keys;
        this.webhooks = webhooks;
        this.forms = forms;
    }

    public record KeyRow(String name, String masked, String created, String lastUsed, String revokeHref) {}

    public record Keys(Layout layout, List<KeyRow> keys, Form form, String createAction) {}

    /** The page after a creation: the secret, once, and where to go next. */
    public record Revealed(Layout layout, String heading, String what, String secret, String backHref) {}

    public record EndpointRow(String url, String events, String status, String href, String deleteHref) {}

    public record Endpoints(Layout layout, List<EndpointRow> endpoints, Form form, String createAction) {}

    public record DeliveryRow(String event, String status, int attempts, String response, String when, String error) {}

    public record EndpointView(Layout layout, String url, String events, String status, List<DeliveryRow> deliveries, String backHref) {}

    @Override
    public void routes(Console console, Web.Router router) {
        this.console = console;
        router.get("/console/settings/api-keys", ctx -> keysPage(ctx, 200, Form.empty()));
        router.post("/console/settings/api-keys", this::createKey);
        router.get("/console/settings/api-keys/{id}/revoke", ctx -> revokeKey(ctx, false));
        router.post("/console/settings/api-keys/{id}/revoke", ctx -> revokeKey(ctx, true));
        router.get("/console/settings/webhooks", ctx -> endpointsPage(ctx, 200, Form.empty().with("events", "*")));
        router.post("/console/settings/webhooks", this::createEndpoint);
        router.get("/console/settings/webhooks/{id}", this::endpoint);
        router.get("/console/settings/webhooks/{id}/delete", ctx -> deleteEndpoint(ctx, false));
        router.post("/console/settings/webhooks/{id}/delete", ctx -> deleteEndpoint(ctx, true));
    }

    private void keysPage(Context ctx, int status, Form form) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        List<KeyRow> rows = keys.list(req.tenant()).stream().map(k -> new KeyRow(k.name() == null ? "Unnamed key" : k.name(),
                k.prefix() + "…" + k.last4(), SettingsPages.DAY.format(k.createdAt()),
                k.lastUsedAt() == null ? "Never" : SettingsPages.MINUTE.format(k.lastUsedAt()),
                ConsoleRequest.href("settings/api-keys/" + k.id() + "/revoke"))).toList();
        console.render(ctx, status, "console/api-keys.jte", new Keys(console.layout(ctx, req, "API keys", "settings"), rows, form,
                ConsoleRequest.href("settings/api-keys")));
    }

    private void createKey(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        Form form = Form.posted(ctx, "name").require("name", "Name the key after what uses it, e.g. Production app.");
        if (form.valid()) {
            try {
                ApiKey k = keys.create(req.tenant(), form.value("name"));
                console.audit(req, "api_key.created", "api_key", k.id(), null, Map.of("name", k.name(), "key", k.prefix() + "…" + k.last4()));
                console.render(ctx, 200, "console/revealed.jte", new Revealed(console.layout(ctx, req, "API key created", "settings"),
                        "Your new API key", "Copy it now and keep it in your app's secret settings: it is shown only this once.",
                        k.secret(), ConsoleRequest.href("settings/api-keys")));
                return;
            } catch (Problem p) {
                form.reject("name", p.detail());
            }
        }
        keysPage(ctx, 422, form);
    }

    private void revokeKey(Context ctx, boolean confirmed) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        String id = ctx.pathParam("id");
        ApiKey k = keys.list(req.tenant()).stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(WebError::notFound);
        String masked = k.prefix() + "…" + k.last4();
        String back = ConsoleRequest.href("settings/api-keys");
        ActionForms.Spec spec = new ActionForms.Spec("API keys", "Revoke the key " + masked + "?", List.of(
                "Every call made with it is refused from now on: whatever uses it" + (k.name() == null ? "" : " (" + k.name() + ")")
                        + " stops working until it has a new key.",
                "This cannot be undone: a revoked key never works again. Create a new key first if something still needs one."),
                List.of(), "Revoke key", true, back);
        if (!confirmed) {
            forms.show(console, ctx, req, "Revoke " + masked, "settings", spec, Form.empty(), 200);
            return;
        }
        forms.submit(console, ctx, req, "Revoke " + masked, "settings", spec, form -> {
            keys.revoke(req.tenant(), id);
            return new ActionForms.Done(back, "The key " + masked + " is revoked: calls with it are refused from now on.",
                    "api_key.revoked", "api_key", id, Map.of("key", masked), null);
        });
    }

    private void endpointsPage(Context ctx, int status, Form form) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        List<EndpointRow> rows = webhooks.list(req.tenant(), new Paging(100, null)).data().stream().map(e -> new EndpointRow(e.url(),
                String.join(", ", e.enabledEvents()), e.status(), ConsoleRequest.href("settings/webhooks/" + e.id()),
                ConsoleRequest.href("settings/webhooks/" + e.id() + "/delete"))).toList();
        console.render(ctx, status, "console/webhooks.jte", new Endpoints(console.layout(ctx, req, "Webhooks", "settings"), rows, form,
                ConsoleRequest.href("settings/webhooks")));
    }

    private void createEndpoint(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        Form form = Form.posted(ctx, "url", "events", "description").require("url", "Enter the https address that receives the events.");
        if (form.valid()) {
            List<String> events = Arrays.stream(form.value("events").split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
            try {
                WebhookEndpoint e = webhooks.create(req.tenant(), new EndpointRules.Draft(form.value("url"), events.isEmpty() ? List.of("*") : events,
                        form.optional("description"), null));
                console.audit(req, "webhook_endpoint.created", "webhook_endpoint", e.id(), null, Map.of("url", e.url(),
                        "events", String.join(",", e.enabledEvents())));
                console.render(ctx, 200, "console/revealed.jte", new Revealed(console.layout(ctx, req, "Endpoint added", "settings"),
                        "Endpoint added", "Its signing secret checks that deliveries come from Tollgate (the Tollgate-Signature header). "
                        + "Copy it now: it is shown only this once.", e.secret(), ConsoleRequest.href("settings/webhooks")));
                return;
            } catch (Problem p) {
                form.reject(p.field() != null && p.field().contains("event") ? "events" : p.field() != null && p.field().equals("description")
                        ? "description" : "url", p.detail());
            }
        }
        endpointsPage(ctx, 422, form);
    }

    private void endpoint(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        WebhookEndpoint e = found(req, ctx.pathParam("id"));
        List<DeliveryRow> rows = webhooks.deliveries(req.tenant(), e.id(), new Paging(50, null)).data().stream().map(KeysPages::row).toList();
        console.render(ctx, 200, "console/webhook.jte", new EndpointView(console.layout(ctx, req, "Webhook endpoint", "settings"), e.url(),
                String.join(", ", e.enabledEvents()), e.status(), rows, ConsoleRequest.href("settings/webhooks")));
    }

    private static DeliveryRow row(Delivery d) {
        String when = d.lastAttemptAt() != null ? SettingsPages.MINUTE.format(d.lastAttemptAt()) : SettingsPages.MINUTE.format(d.createdAt());
        String response = d.responseStatus() == null ? "—" : d.responseStatus() + (d.latencyMs() == null ? "" : " in " + d.latencyMs() + " ms");
        return new DeliveryRow(d.event(), d.status(), d.attempts(), response, when, d.error());
    }

    private WebhookEndpoint found(ConsoleRequest req, String id) {
        try {
            return webhooks.get(req.tenant(), id);
        } catch (Problem p) {
            throw WebError.notFound();
        }
    }

    private void deleteEndpoint(Context ctx, boolean confirmed) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        WebhookEndpoint e = found(req, ctx.pathParam("id"));
        String back = ConsoleRequest.href("settings/webhooks");
        ActionForms.Spec spec = new ActionForms.Spec("Webhooks", "Delete the endpoint " + e.url() + "?", List.of(
                "Nothing more is sent to it: no new events, and no retries of deliveries that failed.",
                "This cannot be undone: its signing secret and its delivery log go with it. To hear these events again, add the "
                        + "endpoint anew (it gets a new secret)."),
                List.of(), "Delete endpoint", true, back);
        if (!confirmed) {
            forms.show(console, ctx, req, "Delete a webhook endpoint", "settings", spec, Form.empty(), 200);
            return;
        }
        forms.submit(console, ctx, req, "Delete a webhook endpoint", "settings", spec, form -> {
            webhooks.delete(req.tenant(), e.id());
            return new ActionForms.Done(back, "The endpoint " + e.url() + " is deleted.", "webhook_endpoint.deleted",
                    "webhook_endpoint", e.id(), Map.of("url", e.url()), null);
        });
    }
}

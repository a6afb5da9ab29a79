package tollgate.console;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import tollgate.audit.Audit;
import tollgate.audit.AuditEntry;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.Web;

/**
 * The audit log (issue 14 point 8, decision 041): newest first, 50 a page (keyset: "older" pages from the last line
 * shown), searchable by actor (email, key or id), action (a prefix: "staff." or "api."), object id and a date range
 * (UTC days, both included). Owners and admins. There is no route that deletes or edits an entry.
 */
public final class AuditPages implements ConsolePages {
    static final int PAGE = 50;
    private Console console;

    public record Row(String when, String actor, String actorType, String action, String object, String before, String after) {}

    public record View(Layout layout, Form form, List<Row> rows, String olderHref, String action) {}

    @Override
    public void routes(Console console, Web.Router router) {
        this.console = console;
        router.get("/console/audit", this::show);
    }

    private void show(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        Form form = Form.empty();
        for (String f : new String[] {"actor", "action", "object", "from", "to"}) {
            String v = ctx.queryParam(f);
            form.with(f, v == null ? "" : v.strip());
        }
        Instant from = day(form, "from", 0);
        Instant to = day(form, "to", 1);
        Instant beforeAt = null;
        String beforeId = null;
        String before = ctx.queryParam("before");
        if (before != null && before.matches("\\d{1,19}\\.[a-z0-9_]{1,40}")) {
            beforeAt = Instant.ofEpochMilli(Long.parseLong(before.substring(0, before.indexOf('.'))));
            beforeId = before.substring(before.indexOf('.') + 1);
        }
        List<AuditEntry> found = form.valid() ? console.audit.search(req.tenant(), new Audit.Query(form.optional("actor"), form.optional("action"),
                form.optional("object"), from, to, beforeAt, beforeId), PAGE + 1) : List.of();
        List<Row> rows = found.stream().limit(PAGE).map(e -> new Row(SettingsPages.MINUTE.format(e.at()) + " UTC", e.actor().label(),
                e.actor().type().equals("api_key") ? "API key" : "Staff", e.action(),
                e.objectId() == null ? "" : (e.objectType() == null ? "" : e.objectType() + " ") + e.objectId(),
                e.before() == null ? "" : e.before(), e.after() == null ? "" : e.after())).toList();
        String older = null;
        if (found.size() > PAGE) {
            AuditEntry last = found.get(PAGE - 1);
            StringBuilder q = new StringBuilder("?before=" + last.at().toEpochMilli() + "." + last.id());
            for (String f : new String[] {"actor", "action", "object", "from", "to"})
                if (!form.value(f).isEmpty()) q.append('&').append(f).append('=').append(java.net.URLEncoder.encode(form.value(f), java.nio.charset.StandardCharsets.UTF_8));
            older = ConsoleRequest.href("audit") + q;
        }
        console.render(ctx, form.valid() ? 200 : 422, "console/audit.jte", new View(console.layout(ctx, req, "Audit log", "audit"), form, rows,
                older, ConsoleRequest.href("audit")));
    }

    private static Instant day(Form form, String field, int plusDays) {
        String v = form.value(field);
        if (v.isEmpty()) return null;
        try {
            return LocalDate.parse(v).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            form.reject(field, "Use a date like 2026-06-01.");
            return null;
        }
    }
}

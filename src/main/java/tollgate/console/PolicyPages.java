package tollgate.console;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tollgate.core.Problem;
import tollgate.dunning.DunningAction;
import tollgate.dunning.DunningPolicies;
import tollgate.dunning.DunningPolicy;
import tollgate.dunning.DunningPolicyRules;
import tollgate.dunning.DunningPolicyRules.StepDraft;
import tollgate.dunning.DunningStep;
import tollgate.idempotency.Idempotency;
import tollgate.tenants.TenantProfiles;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * Dunning policies in the console (issue 14 point 5, decision 048): each policy's page tells its timeline in words; the
 * editor of a new policy previews the timeline as the steps are typed (htmx posts the form to the preview, which
 * answers the words and what {@link DunningPolicyRules} say of them) and draws the same preview on every server answer.
 * A policy cannot change once created, as in the API ({@code POST /v1/dunning_policies} only creates): "Start from this
 * one" copies its steps into a new policy, and "Use as the workspace's default" is {@code POST /v1/tenant}'s
 * {@code dunning_policy}. Owners and admins only; every change audited.
 */
public final class PolicyPages implements ConsolePages {
    static final int STEP_ROWS = 4;
    private static final Pattern STEP_FIELD = Pattern.compile("(step_[a-z_]+)_(\\d+)");
    /** Templates the built-in policies send: offered as suggestions beside the free text. */
    static final List<String> TEMPLATES = List.of("invoice_unpaid", "payment_failed_1", "payment_failed_2", "payment_failed_3");
    private static final Map<String, String> LABELS = Map.of("name", "Name", "steps", "Steps", "step_after_days", "Day",
            "step_action", "What happens", "step_template", "Email template", "step_backup_retention_days", "Keep backups (days)");

    private final DunningPolicies policies;
    private final TenantProfiles profiles;
    private final Idempotency idempotency;
    private Console console;

    public PolicyPages(DunningPolicies policies, TenantProfiles profiles, Idempotency idempotency) {
        this.policies = policies;
        this.profiles = profiles;
        this.idempotency = idempotency;
    }

    static String href(String id) {
        return CatalogPages.href("policies/" + id);
    }

    @Override
    public void routes(Console console, Web.Router router) {
        this.console = console;
        router.get("/console/catalog/policies/new", this::newPolicy);
        router.post("/console/catalog/policies", this::create);
        router.post("/console/catalog/policies/preview", this::preview);
        router.get("/console/catalog/policies/{id}", this::policy);
        router.post("/console/catalog/policies/{id}/default", this::makeDefault);
    }

    private DunningPolicy policyOf(ConsoleRequest req, String id) {
        try {
            return policies.get(req.tenant(), id);
        } catch (Problem p) {
            throw WebError.notFound();
        }
    }

    private void policy(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx);
        DunningPolicy p = policyOf(req, ctx.pathParam("id"));
        boolean isDefault = p.id().equals(profiles.get(req.tenant()).dunningPolicy());
        console.render(ctx, 200, "console/catalog-policy.jte", new CatalogViews.PolicyPage(console.layout(ctx, req, p.name(), "catalog"),
                p.name(), p.id(), p.builtIn(), isDefault, p.createdAt() == null ? null : AccountViews.day(p.createdAt()),
                PolicyTimeline.of(p.steps()), req.canChangeCatalog(), CatalogPages.href("policies/new?from=" + p.id()),
                href(p.id()) + "/default"));
    }

    private void makeDefault(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireCatalog();
        DunningPolicy p = policyOf(req, ctx.pathParam("id"));
        String before = profiles.get(req.tenant()).dunningPolicy();
        profiles.update(req.tenant(), null, null, p.id(), null);
        Map<String, Object> was = new LinkedHashMap<>();
        was.put("dunning_policy", before);
        console.audit(req, "tenant.default_dunning_policy_changed", "tenant", req.tenant().id(), was, Map.of("dunning_policy", p.id()));
        console.flash(ctx, Layout.Flash.Kind.SUCCESS, "“" + p.name() + "” is now the workspace's default: plans that name no policy "
                + "follow it for invoices that become past due from now on.");
        throw new SeeOther(href(p.id()));
    }

    private void newPolicy(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireCatalog();
        Form form = Form.empty();
        String from = ctx.queryParam("from");
        int rows = STEP_ROWS;
        String fromName = null;
        if (from != null) {
            DunningPolicy p = policyOf(req, from);
            fromName = p.name();
            form.with("name", p.name() + " (copy)");
            List<DunningStep> steps = p.steps();
            for (int i = 0; i < steps.size(); i++) {
                DunningStep st = steps.get(i);
                form.with("step_after_days_" + i, String.valueOf(st.afterDays())).with("step_action_" + i, st.action().wire())
                        .with("step_template_" + i, st.template() == null ? "" : st.template())
                        .with("step_backup_retention_days_" + i, st.backupRetentionDays() == null ? "" : String.valueOf(st.backupRetentionDays()));
            }
            rows = Math.min(steps.size() + 1, DunningPolicyRules.MAX_STEPS);
        }
        form.with("step_rows", String.valueOf(rows));
        show(ctx, req, 200, form, null, fromName);
    }

    private void show(Context ctx, ConsoleRequest req, int status, Form form, String error, String from) {
        int rows = rows(form.value("step_rows"));
        List<CatalogViews.StepRow> steps = new ArrayList<>();
        for (int i = 0; i < rows; i++) steps.add(new CatalogViews.StepRow(i, "Step " + (i + 1)));
        List<Form.Option> actions = new ArrayList<>();
        for (DunningAction a : DunningAction.values())
            actions.add(new Form.Option(a.wire(), PolicyTimeline.words(new StepDraft(0, a.wire(), "", null))
                    .replace("send an email (name its template)", "send an email") + " (" + a.wire() + ")"));
        String once = form.value("_once").isEmpty() ? CatalogForms.newToken() : form.value("_once");
        console.render(ctx, status, "console/catalog-policy-new.jte", new CatalogViews.PolicyForm(console.layout(ctx, req, "New dunning policy",
                "catalog"), form, steps, actions, TEMPLATES, preview(form, rows).view(), error, CatalogPages.href("policies"),
                CatalogPages.href("policies/preview"), once, from));
    }

    private static int rows(String v) {
        int rows = v != null && v.matches("\\d{1,3}") ? Integer.parseInt(v) : STEP_ROWS;
        return Math.max(1, Math.min(rows, DunningPolicyRules.MAX_STEPS));
    }

    private static String[] fields(int rows) {
        List<String> f = new ArrayList<>(List.of("name", "step_rows"));
        for (int i = 0; i < rows; i++)
            f.addAll(List.of("step_after_days_" + i, "step_action_" + i, "step_template_" + i, "step_backup_retention_days_" + i));
        return f.toArray(String[]::new);
    }

    /** The steps typed (rows left empty are no step) and which row each came from, for the rules' "steps[2]". */
    private record Typed(DunningPolicyRules.Draft draft, List<Integer> rowOf) {}

    /** The preview of what was typed, and the refusal of the rules (the field it names, or null) when they refuse it. */
    private record Checked(List<CatalogViews.Line> lines, String message) {
        CatalogViews.Preview view() {
            return new CatalogViews.Preview(lines, message);
        }
    }

    private static Typed typed(Form form, int rows) {
        List<StepDraft> steps = new ArrayList<>();
        List<Integer> rowOf = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String d = "step_after_days_" + i, a = "step_action_" + i, t = "step_template_" + i, k = "step_backup_retention_days_" + i;
            if (form.value(d).isEmpty() && form.value(a).isEmpty() && form.value(t).isEmpty() && form.value(k).isEmpty()) continue;
            steps.add(new StepDraft(CatalogForms.whole(form, d), form.optional(a), form.optional(t), CatalogForms.whole(form, k)));
            rowOf.add(i);
        }
        return new Typed(new DunningPolicyRules.Draft(form.optional("name"), steps), rowOf);
    }

    /**
     * What the editor shows beside the steps: their words, and the rules' first refusal. The name is the form's
     * business on submit; the preview checks the steps under a stand-in name when none is typed yet.
     */
    private static Checked preview(Form form, int rows) {
        Typed t = typed(form, rows);
        List<CatalogViews.Line> lines = PolicyTimeline.lines(t.draft().steps());
        if (!form.valid()) return new Checked(lines, form.errors().values().iterator().next());
        String name = t.draft().name() == null ? "preview" : t.draft().name();
        try {
            // Pure rules, nothing written; the instant only stamps the policy the preview throws away.
            DunningPolicyRules.define(new DunningPolicyRules.Draft(name, t.draft().steps()), Instant.EPOCH);
            return new Checked(lines, null);
        } catch (Problem p) {
            return new Checked(lines, CatalogForms.say(p, LABELS));
        }
    }

    private static String formField(Problem p, List<Integer> rowOf) {
        if (p.code().equals("policy_name_taken")) return "name";
        String field = CatalogForms.fieldOf(p.field());
        if (field == null) return null;
        Matcher m = STEP_FIELD.matcher(field);
        if (m.matches()) {
            int index = Integer.parseInt(m.group(2));
            return m.group(1) + "_" + (index < rowOf.size() ? rowOf.get(index) : index);
        }
        return field;
    }

    /** The editor's live preview (htmx): the timeline of what is typed so far, as a fragment. Changes nothing. */
    private void preview(Context ctx) {
        console.signedIn(ctx).requireCatalog();
        int rows = rows(ctx.formParam("step_rows"));
        Form form = Form.posted(ctx, fields(rows));
        console.render(ctx, 200, "console/catalog-policy-preview.jte", preview(form, rows).view());
    }

    private void create(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireCatalog();
        int rows = rows(ctx.formParam("step_rows"));
        String[] fields = fields(rows);
        Form form = Form.posted(ctx, fields);
        String once = CatalogForms.once(ctx);
        form.with("_once", once).with("step_rows", String.valueOf(rows));
        if ("add_step".equals(ctx.formParam("op"))) {
            form.with("step_rows", String.valueOf(Math.min(rows + 1, DunningPolicyRules.MAX_STEPS)));
            show(ctx, req, 200, form, null, null);
            return;
        }
        Typed t = typed(form, rows);
        if (!form.valid()) {
            show(ctx, req, 422, form, null, null);
            return;
        }
        try {
            CatalogForms.createOnce(idempotency, console, ctx, req, form, List.of(fields), once, () -> {
                DunningPolicy p = policies.create(req.tenant(), t.draft());
                List<String> words = PolicyTimeline.of(p.steps()).stream().map(l -> l.day() + ": " + l.text()).toList();
                Map<String, Object> after = new LinkedHashMap<>();
                after.put("name", p.name());
                after.put("steps", String.join(" ", words));
                return new ActionForms.Done(href(p.id()), "Dunning policy “" + p.name() + "” created. Name it on new plans, or use it as "
                        + "the workspace's default.", "dunning_policy.created", "dunning_policy", p.id(), null, after);
            });
        } catch (Problem p) {
            String field = formField(p, t.rowOf());
            String message = CatalogForms.say(p, LABELS);
            boolean beside = field != null && List.of(fields).contains(field) && !field.equals("step_rows");
            if (beside) form.reject(field, message);
            show(ctx, req, 422, form, beside ? null : message, null);
        }
    }
}

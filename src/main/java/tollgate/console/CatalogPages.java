package tollgate.console;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import tollgate.catalog.Coupon;
import tollgate.catalog.CouponDraft;
import tollgate.catalog.Coupons;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanDraft;
import tollgate.catalog.PlanRules;
import tollgate.catalog.PlanType;
import tollgate.catalog.Plans;
import tollgate.catalog.Tier;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.dunning.DunningPolicies;
import tollgate.dunning.DunningPolicy;
import tollgate.idempotency.Idempotency;
import tollgate.invoicing.AmountFormat;
import tollgate.tenants.TenantProfiles;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * Catalog (issue 14 point 5, decision 048): plans and coupons, listed for every role and created by owners and admins
 * in forms that call the same services as {@code POST /v1/plans} and {@code POST /v1/coupons}. The console does what
 * the API allows and says so: a plan's prices, type, trial and policy are fixed once it exists (only its metadata
 * changes, as {@code POST /v1/plans/{id}}); a coupon does not change at all. Dunning policies are {@link PolicyPages}.
 */
public final class CatalogPages implements ConsolePages {
    public static final int SHOWN = 100;
    static final int TIER_ROWS = 3;
    private static final List<String> PLAN_FIELDS = List.of("type", "name", "currency", "amount", "interval", "included_seats",
            "seat_amount", "unit_amount", "trial_days", "dunning_policy", "seats_from", "tier_rows");
    private static final List<String> COUPON_FIELDS = List.of("name", "percent_off", "amount_off", "currency", "duration",
            "duration_in_months");
    /** The form's labels, for the rules' messages ("'trial_days' must be …" reads "“Trial days” must be …"). */
    private static final Map<String, String> LABELS = Map.ofEntries(Map.entry("name", "Name"), Map.entry("type", "Type"),
            Map.entry("currency", "Currency"), Map.entry("amount", "Price"), Map.entry("interval", "Billed every"),
            Map.entry("included_seats", "Seats included"), Map.entry("seat_amount", "Price per extra seat"),
            Map.entry("unit_amount", "Price per unit"), Map.entry("tiers", "Tiers"), Map.entry("tier_up_to", "Up to"),
            Map.entry("tier_unit_amount", "Per unit"), Map.entry("tier_flat_amount", "Flat fee"),
            Map.entry("up_to", "Up to"), Map.entry("flat_amount", "Flat fee"), Map.entry("trial_days", "Trial days"),
            Map.entry("dunning_policy", "Dunning policy"), Map.entry("seats_from", "Seats come from"),
            Map.entry("percent_off", "Percent off"), Map.entry("amount_off", "Amount off"), Map.entry("duration", "Applies"),
            Map.entry("duration_in_months", "Months"), Map.entry("metadata", "Metadata"));

    public record Services(Plans plans, Coupons coupons, DunningPolicies policies, TenantProfiles profiles, Idempotency idempotency) {}

    private final Services s;
    private Console console;

    public CatalogPages(Services services) {
        this.s = services;
    }

    static String href(String page) {
        return ConsoleRequest.href("catalog" + (page.isEmpty() ? "" : "/" + page));
    }

    @Override
    public void routes(Console console, Web.Router router) {
        this.console = console;
        router.get("/console/catalog", this::index);
        router.get("/console/catalog/plans/new", ctx -> newPlan(ctx, 200, null, null));
        router.post("/console/catalog/plans", this::createPlan);
        router.get("/console/catalog/plans/{id}", ctx -> plan(ctx, 200, null, null));
        router.post("/console/catalog/plans/{id}/metadata", this::saveMetadata);
        router.get("/console/catalog/coupons/new", ctx -> newCoupon(ctx, 200, Form.empty().with("duration", "once"), null));
        router.post("/console/catalog/coupons", this::createCoupon);
    }

    private void index(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx);
        Page<DunningPolicy> policies = s.policies().list(req.tenant(), new Paging(SHOWN, null));
        Map<String, String> policyNames = new LinkedHashMap<>();
        for (DunningPolicy p : policies.data()) policyNames.put(p.id(), p.name());
        String tenantDefault = s.profiles().get(req.tenant()).dunningPolicy();
        Page<Plan> plans = s.plans().list(req.tenant(), new Paging(SHOWN, null));
        List<CatalogViews.PlanRow> planRows = plans.data().stream().map(p -> new CatalogViews.PlanRow(p.name(), href("plans/" + p.id()),
                typeLabel(p.type()), price(p), p.trialDays() == 0 ? "None" : p.trialDays() + " days",
                p.dunningPolicy() == null ? "Workspace default" : policyNames.getOrDefault(p.dunningPolicy(), p.dunningPolicy()),
                AccountViews.day(p.createdAt()))).toList();
        Page<Coupon> coupons = s.coupons().list(req.tenant(), new Paging(SHOWN, null));
        List<CatalogViews.CouponRow> couponRows = coupons.data().stream().map(c -> new CatalogViews.CouponRow(
                c.name() == null ? "Unnamed coupon" : c.name(), c.id(), discount(c), duration(c), AccountViews.day(c.createdAt()))).toList();
        List<CatalogViews.PolicyRow> policyRows = policies.data().stream().map(p -> new CatalogViews.PolicyRow(p.name(),
                PolicyPages.href(p.id()), p.builtIn() ? "Built in" : "Yours", p.steps().size(),
                p.steps().isEmpty() ? "" : "Day " + p.steps().get(p.steps().size() - 1).afterDays(), p.id().equals(tenantDefault))).toList();
        String defaultName = tenantDefault == null ? null : policyNames.getOrDefault(tenantDefault, tenantDefault);
        console.render(ctx, 200, "console/catalog.jte", new CatalogViews.Index(console.layout(ctx, req, "Catalog", "catalog"), planRows,
                plans.hasMore(), couponRows, coupons.hasMore(), policyRows, defaultName, req.canChangeCatalog()));
    }

    static String typeLabel(PlanType t) {
        return switch (t) {
            case LICENSE -> "License";
            case FLAT -> "Flat";
            case SEATS -> "Seats";
            case USAGE -> "Usage";
        };
    }

    /** A plan's price in words: "$9.00 per license a month", "$49.00 a month with 5 seats, then $8.00 a seat". */
    static String price(Plan p) {
        String cur = p.currency();
        String every = p.interval().wire();
        return switch (p.type()) {
            case LICENSE -> AmountFormat.withSymbol(p.amount(), cur) + " per license a month";
            case FLAT -> AmountFormat.withSymbol(p.amount(), cur) + " a " + every;
            case SEATS -> AmountFormat.withSymbol(p.amount(), cur) + " a " + every + " with " + p.includedSeats()
                    + (p.includedSeats() == 1 ? " seat" : " seats") + ", then " + AmountFormat.withSymbol(p.seatAmount(), cur) + " a seat";
            case USAGE -> p.unitAmount() != null ? AmountFormat.withSymbol(p.unitAmount(), cur) + " a unit, billed monthly"
                    : "Graduated, " + p.tiers().size() + (p.tiers().size() == 1 ? " tier" : " tiers") + " from "
                    + AmountFormat.withSymbol(p.tiers().get(0).unitAmount(), cur) + " a unit";
        };
    }

    static String discount(Coupon c) {
        return c.percentOff() != null ? c.percentOff().toPlainString() + "% off" : AmountFormat.withSymbol(c.amountOff(), c.currency()) + " off";
    }

    static String duration(Coupon c) {
        return switch (c.duration()) {
            case ONCE -> "Once";
            case FOREVER -> "Forever";
            case REPEATING -> c.durationInMonths() + (c.durationInMonths() == 1 ? " month" : " months");
        };
    }

    // ---- plans ----

    private static PlanType typeOf(String wire) {
        return PlanType.fromWire(wire == null ? "" : wire).orElse(PlanType.LICENSE);
    }

    private void newPlan(Context ctx, int status, Form typed, String error) {
        ConsoleRequest req = console.signedIn(ctx).requireCatalog();
        PlanType type = typeOf(typed != null ? typed.value("type") : ctx.queryParam("type"));
        Form form = typed != null ? typed : Form.empty().with("type", type.wire()).with("interval", "month")
                .with("tier_rows", String.valueOf(TIER_ROWS));
        int rows = tierRows(form);
        List<CatalogViews.TypeTab> tabs = new ArrayList<>();
        for (PlanType t : PlanType.values())
            tabs.add(new CatalogViews.TypeTab(typeLabel(t), href("plans/new?type=" + t.wire()), t == type));
        List<CatalogViews.TierRow> tiers = new ArrayList<>();
        for (int i = 0; i < rows; i++) tiers.add(new CatalogViews.TierRow(i, "Tier " + (i + 1)));
        String[] help = switch (type) {
            case LICENSE -> new String[] {"One license key per site, billed at the end of each calendar month for the days it was active.",
                    amountLabel(type), null};
            case FLAT -> new String[] {"A fixed price each month or year, billed in advance.", amountLabel(type), "Billed each interval, in advance"};
            case SEATS -> new String[] {"A base price that includes some seats, and a price for each seat above them, billed in advance.",
                    amountLabel(type), "Includes the seats below"};
            case USAGE -> new String[] {"Metered usage, billed monthly in arrears: a price per unit, or graduated tiers.", null, null};
        };
        String once = form.value("_once").isEmpty() ? CatalogForms.newToken() : form.value("_once");
        console.render(ctx, status, "console/catalog-plan-new.jte", new CatalogViews.PlanForm(
                console.layout(ctx, req, "New plan", "catalog"), tabs, type.wire(), typeLabel(type), help[0], form,
                type == PlanType.FLAT || type == PlanType.SEATS, type == PlanType.SEATS, type == PlanType.USAGE, help[1], help[2],
                policyOptions(req), tiers, error, href("plans"), once));
    }

    /** The label of a plan form's "amount" field, as its page shows it for the plan's type. */
    private static String amountLabel(PlanType type) {
        return switch (type) {
            case LICENSE -> "Price per license a month";
            case SEATS -> "Base price";
            case FLAT, USAGE -> "Price";
        };
    }

    /** A tier row's field as its page shows it: "Tier 2 · Per unit". */
    private static String tierLabel(String field, int row) {
        return "Tier " + (row + 1) + " · " + field;
    }

    private static int tierRows(Form form) {
        String v = form.value("tier_rows");
        int rows = v.matches("\\d{1,3}") ? Integer.parseInt(v) : TIER_ROWS;
        return Math.max(1, Math.min(rows, PlanRules.MAX_TIERS));
    }

    /** The policies a plan may name: the workspace's default (none named), the built-ins, the tenant's own. */
    private List<Form.Option> policyOptions(ConsoleRequest req) {
        List<Form.Option> out = new ArrayList<>();
        for (DunningPolicy p : s.policies().list(req.tenant(), new Paging(SHOWN, null)).data())
            out.add(new Form.Option(p.id(), p.name() + (p.builtIn() ? " (built in)" : "")));
        return out;
    }

    private void createPlan(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireCatalog();
        int rows = Math.max(1, Math.min(parseRows(ctx.formParam("tier_rows")), PlanRules.MAX_TIERS));
        List<String> fields = new ArrayList<>(PLAN_FIELDS);
        for (int i = 0; i < rows; i++) fields.addAll(List.of("tier_up_to_" + i, "tier_unit_amount_" + i, "tier_flat_amount_" + i));
        Form form = Form.posted(ctx, fields.toArray(String[]::new));
        String once = CatalogForms.once(ctx);
        form.with("_once", once).with("tier_rows", String.valueOf(rows));
        if ("add_tier".equals(ctx.formParam("op"))) {
            newPlan(ctx, 200, form.with("tier_rows", String.valueOf(Math.min(rows + 1, PlanRules.MAX_TIERS))), null);
            return;
        }
        boolean amountTyped = fields.stream().anyMatch(f -> (f.contains("amount")) && !form.value(f).isEmpty());
        int digits = CatalogForms.digits(form, "currency", amountTyped, LABELS);
        String currency = digits < 0 ? null : form.value("currency").toLowerCase(Locale.ROOT);
        Long amount = CatalogForms.money(form, "amount", amountLabel(typeOf(form.value("type"))), digits, currency);
        Long seatAmount = CatalogForms.money(form, "seat_amount", LABELS.get("seat_amount"), digits, currency);
        Long unitAmount = CatalogForms.money(form, "unit_amount", LABELS.get("unit_amount"), digits, currency);
        Integer includedSeats = CatalogForms.whole(form, "included_seats");
        Integer trialDays = CatalogForms.whole(form, "trial_days");
        // A tier row left empty is no tier; the rows typed are the tiers, in order (rowOf maps the rules' index back).
        List<PlanDraft.TierDraft> tiers = new ArrayList<>();
        List<Integer> rowOf = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String up = "tier_up_to_" + i, unit = "tier_unit_amount_" + i, flat = "tier_flat_amount_" + i;
            if (form.value(up).isEmpty() && form.value(unit).isEmpty() && form.value(flat).isEmpty()) continue;
            tiers.add(new PlanDraft.TierDraft(CatalogForms.wholeLong(form, up), CatalogForms.money(form, unit, tierLabel("Per unit", i), digits, currency),
                    CatalogForms.money(form, flat, tierLabel("Flat fee", i), digits, currency)));
            rowOf.add(i);
        }
        if (!form.valid()) {
            newPlan(ctx, 422, form, null);
            return;
        }
        PlanDraft draft = new PlanDraft(form.optional("name"), form.optional("type"), form.optional("currency"), amount,
                form.optional("interval"), includedSeats, seatAmount, unitAmount, tiers.isEmpty() ? null : tiers, trialDays,
                form.optional("dunning_policy"), form.optional("seats_from"));
        try {
            CatalogForms.createOnce(s.idempotency(), console, ctx, req, form, fields, once, () -> {
                Plan p = s.plans().create(req.tenant(), draft);
                return new ActionForms.Done(href("plans/" + p.id()), "Plan “" + p.name() + "” created: " + price(p) + ".",
                        "plan.created", "plan", p.id(), null, planFields(p));
            });
        } catch (Problem p) {
            String field = CatalogForms.fieldOf(p.field());
            Matcher m = field == null ? null : TIER.matcher(field);
            if (m != null && m.matches()) {
                int index = Integer.parseInt(m.group(2));
                field = m.group(1) + "_" + (index < rowOf.size() ? rowOf.get(index) : index);
            }
            Map<String, String> labels = new LinkedHashMap<>(LABELS);
            if (currency != null) labels.put("_currency", currency);
            String message = CatalogForms.say(p, labels);
            boolean beside = field != null && (fields.contains(field) || field.equals("tiers")) && !field.equals("tier_rows");
            if (beside) form.reject(field, message);
            newPlan(ctx, 422, form, beside ? null : message);
        }
    }

    private static final java.util.regex.Pattern TIER = java.util.regex.Pattern.compile("(tier_[a-z_]+)_(\\d+)");

    private static int parseRows(String v) {
        return v != null && v.matches("\\d{1,3}") ? Integer.parseInt(v) : TIER_ROWS;
    }

    /** What the audit log keeps of a plan: its price fields as the API writes them. */
    static Map<String, Object> planFields(Plan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("type", p.type().wire());
        m.put("currency", p.currency());
        m.put("amount", p.amount());
        m.put("interval", p.interval().wire());
        m.put("included_seats", p.includedSeats());
        m.put("seat_amount", p.seatAmount());
        m.put("unit_amount", p.unitAmount());
        m.put("tiers", p.tiers() == null ? null : p.tiers().stream().map(t -> (t.upTo() == null ? "∞" : t.upTo()) + ":" + t.unitAmount()
                + "+" + t.flatAmount()).collect(java.util.stream.Collectors.joining(" ")));
        m.put("trial_days", p.trialDays());
        m.put("dunning_policy", p.dunningPolicy());
        m.put("seats_from", p.seatsFrom());
        return m;
    }

    private Plan planOf(ConsoleRequest req, String id) {
        try {
            return s.plans().get(req.tenant(), id);
        } catch (Problem p) {
            throw WebError.notFound();
        }
    }

    private void plan(Context ctx, int status, Form typed, String error) {
        ConsoleRequest req = console.signedIn(ctx);
        Plan p = planOf(req, ctx.pathParam("id"));
        String policy = p.dunningPolicy() == null ? "Workspace default" : s.policies().get(req.tenant(), p.dunningPolicy()).name();
        List<AccountViews.Fact> facts = new ArrayList<>(List.of(
                new AccountViews.Fact("Type", typeLabel(p.type())),
                new AccountViews.Fact("Price", price(p)),
                new AccountViews.Fact("Currency", p.currency().toUpperCase(Locale.ROOT)),
                new AccountViews.Fact("Trial", p.trialDays() == 0 ? "None" : p.trialDays() + " days"),
                new AccountViews.Fact("Dunning policy", policy),
                new AccountViews.Fact("Created", AccountViews.day(p.createdAt()))));
        if (p.type() == PlanType.SEATS)
            facts.add(new AccountViews.Fact("Seats come from", p.seatsFollowPortalUsers() ? "The account's active portal users" : "The subscription (API or console)"));
        List<AccountViews.Fact> tiers = new ArrayList<>();
        if (p.tiers() != null) {
            long from = 1;
            for (Tier t : p.tiers()) {
                String range = t.upTo() == null ? from + " and above" : from + " to " + t.upTo();
                tiers.add(new AccountViews.Fact("Units " + range, AmountFormat.withSymbol(t.unitAmount(), p.currency()) + " a unit"
                        + (t.flatAmount() == 0 ? "" : " + " + AmountFormat.withSymbol(t.flatAmount(), p.currency()) + " once")));
                if (t.upTo() != null) from = t.upTo() + 1;
            }
        }
        Form form = typed != null ? typed : Form.empty().with("metadata", metadataText(p.metadata()));
        console.render(ctx, status, "console/catalog-plan.jte", new CatalogViews.PlanPage(console.layout(ctx, req, p.name(), "catalog"),
                p.name(), p.id(), facts, tiers, form, req.canChangeCatalog(), href("plans/" + p.id() + "/metadata"), error));
    }

    private static String metadataText(Map<String, String> metadata) {
        StringBuilder b = new StringBuilder();
        metadata.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        return b.toString().strip();
    }

    /**
     * Metadata typed as "key = value" lines. A key no longer written is removed; that is the API's merge with "" for
     * the key (decision 048). The keys' and values' rules are {@code core.Metadata}'s, through {@link Plans#updateMetadata}.
     */
    private void saveMetadata(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireCatalog();
        Plan p = planOf(req, ctx.pathParam("id"));
        String text = ctx.formParam("metadata") == null ? "" : ctx.formParam("metadata");
        Form form = Form.empty().with("metadata", text);
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String line : text.split("\\R")) {
            if (line.isBlank()) continue;
            int eq = line.indexOf('=');
            if (eq < 0) {
                form.reject("metadata", "Write each entry on its own line as key = value (“" + abbreviate(line.strip()) + "” has no =).");
                break;
            }
            wanted.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        if (form.valid()) {
            Map<String, String> changes = new LinkedHashMap<>();
            for (String old : p.metadata().keySet()) if (!wanted.containsKey(old)) changes.put(old, "");
            changes.putAll(wanted);
            try {
                Plan after = s.plans().updateMetadata(req.tenant(), p.id(), changes);
                if (!after.metadata().equals(p.metadata()))
                    console.audit(req, "plan.metadata_changed", "plan", p.id(), Map.of("metadata", metadataText(p.metadata())),
                            Map.of("metadata", metadataText(after.metadata())));
                console.flash(ctx, Layout.Flash.Kind.SUCCESS, after.metadata().equals(p.metadata()) ? "Nothing changed." : "Metadata saved.");
                throw new SeeOther(href("plans/" + p.id()));
            } catch (Problem problem) {
                form.reject("metadata", CatalogForms.say(problem, LABELS));
            }
        }
        plan(ctx, 422, form, null);
    }

    private static String abbreviate(String s) {
        return s.length() <= 30 ? s : s.substring(0, 30) + "…";
    }

    // ---- coupons ----

    private void newCoupon(Context ctx, int status, Form form, String error) {
        ConsoleRequest req = console.signedIn(ctx).requireCatalog();
        String once = form.value("_once").isEmpty() ? CatalogForms.newToken() : form.value("_once");
        console.render(ctx, status, "console/catalog-coupon-new.jte", new CatalogViews.CouponForm(
                console.layout(ctx, req, "New coupon", "catalog"), form, error, href("coupons"), once));
    }

    private void createCoupon(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireCatalog();
        Form form = Form.posted(ctx, COUPON_FIELDS.toArray(String[]::new));
        String once = CatalogForms.once(ctx);
        form.with("_once", once);
        java.math.BigDecimal percentOff = CatalogForms.percent(form, "percent_off");
        Integer months = CatalogForms.whole(form, "duration_in_months");
        int digits = CatalogForms.digits(form, "currency", !form.value("amount_off").isEmpty(), LABELS);
        String currency = digits < 0 ? null : form.value("currency").toLowerCase(Locale.ROOT);
        Long amountOff = CatalogForms.money(form, "amount_off", LABELS.get("amount_off"), digits, currency);
        if (!form.valid()) {
            newCoupon(ctx, 422, form, null);
            return;
        }
        CouponDraft draft = new CouponDraft(form.optional("name"), percentOff, amountOff, form.optional("currency"),
                form.optional("duration"), months);
        try {
            CatalogForms.createOnce(s.idempotency(), console, ctx, req, form, COUPON_FIELDS, once, () -> {
                Coupon c = s.coupons().create(req.tenant(), draft);
                Map<String, Object> after = new LinkedHashMap<>();
                after.put("name", c.name());
                after.put("percent_off", c.percentOff());
                after.put("amount_off", c.amountOff());
                after.put("currency", c.currency());
                after.put("duration", c.duration().wire());
                after.put("duration_in_months", c.durationInMonths());
                return new ActionForms.Done(href(""), "Coupon " + c.id() + " created: " + discount(c) + ", " + duration(c).toLowerCase(Locale.ROOT) + ".",
                        "coupon.created", "coupon", c.id(), null, after);
            });
        } catch (Problem p) {
            String field = CatalogForms.fieldOf(p.field());
            Map<String, String> labels = new LinkedHashMap<>(LABELS);
            if (currency != null) labels.put("_currency", currency);
            String message = CatalogForms.say(p, labels);
            boolean beside = field != null && COUPON_FIELDS.contains(field);
            if (beside) form.reject(field, message);
            newCoupon(ctx, 422, form, beside ? null : message);
        }
    }
}

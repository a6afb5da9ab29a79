package tollgate.console;

import java.util.List;
import tollgate.web.Form;
import tollgate.web.Layout;

/** The view models of the catalog's pages (decision 048): one record per page; templates under console/catalog*.jte. */
public final class CatalogViews {
    private CatalogViews() {}

    public record PlanRow(String name, String href, String type, String price, String trial, String policy, String created) {}

    public record CouponRow(String name, String id, String discount, String duration, String created) {}

    public record PolicyRow(String name, String href, String kind, int steps, String lastDay, boolean isDefault) {}

    /** /console/catalog: plans, coupons and dunning policies; the buttons only for those who may change the catalog. */
    public record Index(Layout layout, List<PlanRow> plans, boolean morePlans, List<CouponRow> coupons, boolean moreCoupons,
                        List<PolicyRow> policies, String defaultPolicy, boolean canChange) {}

    public record TypeTab(String label, String href, boolean current) {}

    public record TierRow(int index, String label) {}

    /** A new plan of one type: only that type's price fields are drawn. */
    public record PlanForm(Layout layout, List<TypeTab> tabs, String type, String typeLabel, String typeHelp, Form form,
                           boolean interval, boolean seats, boolean usage, String amountLabel, String amountHint,
                           List<Form.Option> policies, List<TierRow> tiers, String error, String action, String once) {}

    /** A plan's page: what it is, and the one thing of it that may change (its metadata). */
    public record PlanPage(Layout layout, String name, String id, List<AccountViews.Fact> facts, List<AccountViews.Fact> tiers,
                           Form form, boolean canChange, String metadataAction, String error) {}

    public record CouponForm(Layout layout, Form form, String error, String action, String once) {}

    /** One day of a policy's timeline: "Day 8" and what happens then, in words ({@link PolicyTimeline}). */
    public record Line(String day, String text) {}

    public record StepRow(int index, String label) {}

    /** The words of a policy's timeline, and what the rules say of it (null when it may be saved as it is). */
    public record Preview(List<Line> lines, String problem) {}

    public record PolicyForm(Layout layout, Form form, List<StepRow> steps, List<Form.Option> actions, List<String> templates,
                             Preview preview, String error, String action, String previewAction, String once, String from) {}

    public record PolicyPage(Layout layout, String name, String id, boolean builtIn, boolean isDefault, String created,
                             List<Line> lines, boolean canChange, String copyHref, String defaultAction) {}
}

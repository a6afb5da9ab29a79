package tollgate.portal;

import java.util.List;
import tollgate.web.Form;
import tollgate.web.Layout;

/** View models of the dashboard and the Licenses pages (decision 034); built by {@link LicensePages}. */
public final class LicenseViews {
    private LicenseViews() {}

    /** One license as a row of a table: {@code key} is whole (for Copy license), the rest is display text. */
    public record Row(String id, String key, String keySuffix, String plan, String status, String statusLabel, String site,
                      String issued, String revoked, String bundle, String assignHref, String unassignHref, String revokeHref,
                      Check lastCheck) {}

    /** When the site last checked the key (decision 047): "2 hours ago" or "never", and the exact time for a {@code title}. */
    public record Check(String label, String exact) {}

    /** A tab or a page link. */
    public record Link(String label, String href, boolean current, int count) {}

    public record Pager(String previousHref, String nextHref, int page) {}

    public record Dashboard(Layout layout, String accountName, int assigned, int unassigned, int revoked, List<Row> sites,
                            Pager pager, String licensesHref, String issueHref, String firstPageHref, int page, String userName,
                            String role, String email, String logoutEverywhereAction) {}

    /** {@code firstPageHref}: set past the last page, where the list is empty but the account may have licenses. */
    public record Licenses(Layout layout, List<Link> tabs, String tab, String search, String action, List<Row> rows, Pager pager,
                           String issueHref, String emptyMessage, String firstPageHref, String scriptSrc) {}

    /** The issue form; {@code refusal}/{@code fixHref}/{@code fixLabel} say why issuing is not possible now and how to fix it. */
    public record Issue(Layout layout, Form form, List<Form.Option> plans, String token, String action, String refusalTitle,
                        String refusal, String fixHref, String fixLabel, String cancelHref) {}

    public record Issued(Layout layout, String heading, String bundle, List<Row> licenses, String licensesHref, String scriptSrc) {}

    /** The confirmation of assign, unassign or revoke (also the no-JS page the dialog is built from). */
    public record Confirm(Layout layout, String verb, String heading, Row license, List<String> consequences, Form form,
                          boolean askSite, String action, String button, boolean danger, String cancelHref) {}
}

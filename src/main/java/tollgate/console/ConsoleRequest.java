package tollgate.console;

import java.util.Optional;
import tollgate.audit.AuditEntry;
import tollgate.staff.StaffMember;
import tollgate.staff.StaffRole;
import tollgate.tenants.Tenant;
import tollgate.web.WebError;
import tollgate.web.WebSession;

/**
 * One request to the console: the signed-in staff member, their tenant (from the session: the console's address
 * names no tenant) and the role checks every page makes first. A check that fails throws the 403 page and the handler
 * stops there: nothing is changed and nothing is audited.
 */
public record ConsoleRequest(Optional<Tenant> tenantOrEmpty, Optional<WebSession> session, Optional<StaffMember> staffOrEmpty) {
    public static final String BASE = "/console/";

    public static String href(String page) {
        return BASE + page;
    }

    public boolean signedIn() {
        return staffOrEmpty.isPresent();
    }

    /** The signed-in member (call on a request from {@link Console#signedIn}). */
    public StaffMember staff() {
        return staffOrEmpty.orElseThrow();
    }

    public Tenant tenant() {
        return tenantOrEmpty.orElseThrow();
    }

    public StaffRole role() {
        return staff().role();
    }

    /** Who the audit log says acted. */
    public AuditEntry.Actor actor() {
        return AuditEntry.Actor.staff(staff().id(), staff().email());
    }

    /** This request if the member has one of {@code roles}, else the 403 page. */
    public ConsoleRequest requireRole(StaffRole... roles) {
        for (StaffRole r : roles) if (role() == r) return this;
        throw WebError.forbidden();
    }

    /** Owner, admin and support: payments, retries, credits, grace, subscriptions. */
    public boolean canActOnAccounts() {
        return signedIn() && role().actsOnAccounts();
    }

    /** Owner and admin: plans, coupons, dunning policies. */
    public boolean canChangeCatalog() {
        return signedIn() && role().changesCatalog();
    }

    /** Owner and admin: company, branding, API keys, webhooks, email, the test clock; the audit log. */
    public boolean canChangeSettings() {
        return signedIn() && role().changesSettings();
    }

    /** Owners: invite, deactivate, change roles. */
    public boolean canManageStaff() {
        return signedIn() && role().managesStaff();
    }

    public ConsoleRequest requireActOnAccounts() {
        if (!canActOnAccounts()) throw WebError.forbidden();
        return this;
    }

    public ConsoleRequest requireCatalog() {
        if (!canChangeCatalog()) throw WebError.forbidden();
        return this;
    }

    public ConsoleRequest requireSettings() {
        if (!canChangeSettings()) throw WebError.forbidden();
        return this;
    }

    public ConsoleRequest requireStaffManager() {
        if (!canManageStaff()) throw WebError.forbidden();
        return this;
    }
}

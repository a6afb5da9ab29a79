package tollgate.portal;

import java.util.List;
import tollgate.web.Form;
import tollgate.web.Layout;

/** View models of the Users pages and of the single-use links (invitation, reset, verification). */
public final class UserViews {
    private UserViews() {}

    /** One row of the Users page; the actions the viewer may take on it are precomputed (templates decide nothing). */
    public record Row(String id, String name, String email, String role, boolean active, boolean you, boolean canChangeRole,
                      boolean canDeactivate, boolean canReactivate, String roleAction, String deactivateHref,
                      String reactivateAction) {}

    public record Invitation(String id, String email, String role, String invitedBy, String expires, String revokeAction) {}

    public record Users(Layout layout, List<Row> rows, List<Invitation> invitations, List<Form.Option> roles, String inviteHref,
                        boolean verified, String resendAction) {}

    /** {@code formToken}: makes a double-sent invitation one invitation and one mail (decision 054). */
    public record Invite(Layout layout, Form form, List<Form.Option> roles, String action, String cancelHref, boolean verified,
                         String resendAction, String formToken) {}

    public record Confirm(Layout layout, String heading, String message, String action, String button, String cancelHref) {}

    public record Accept(Layout layout, Form form, String accountName, String email, String role, String action) {}

    public record Forgot(Layout layout, Form form, String action, String loginHref, boolean sent) {}

    public record Reset(Layout layout, Form form, String email, String action) {}
}

package tollgate.portal;

import java.util.List;
import tollgate.web.Form;
import tollgate.web.Layout;

/**
 * The portal's view models: one record per page, built by {@link Portal} from domain records. A template
 * (src/main/jte/portal/*.jte) takes exactly one of them and never calls a service.
 */
public final class Views {
    private Views() {}

    public record SignUp(Layout layout, Form form, List<Form.Option> countries, List<Form.Option> zones, String action,
                         String loginHref) {}

    public record Login(Layout layout, Form form, String error, String action, String signUpHref, String forgotHref) {}

    public record Dashboard(Layout layout, String accountName, String userName, String role, String email,
                            String logoutEverywhereAction) {}
}

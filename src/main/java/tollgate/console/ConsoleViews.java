package tollgate.console;

import tollgate.web.Form;
import tollgate.web.Layout;

/**
 * The view models of the console's own pages (sign-in, home): one record per page, built from domain records. A
 * template (src/main/jte/console/*.jte) takes exactly one of them and never calls a service.
 */
public final class ConsoleViews {
    private ConsoleViews() {}

    public record Login(Layout layout, Form form, String error, String action) {}

    public record Code(Layout layout, Form form, String error, String action, String startOverHref) {}
}

package tollgate.web;

import java.util.List;

/**
 * What the shared layout (src/main/jte/web/layout.jte) shows around every page: the product's name, who is signed in,
 * the menu, flash messages, the unpaid-invoice banner's slot, the CSRF token for forms and htmx, and the asset URLs.
 * Built by the portal or console per request; templates only read it.
 */
public record Layout(String title, String brand, String homeHref, String accountName, String userName, List<NavItem> nav,
                     List<Flash> flashes, Banner banner, String csrf, String logoutAction, Assets assets, Mode mode,
                     String logoSrc) {

    /** A layout without a mode strip or logo (the portal's pages as they were before the console). */
    public Layout(String title, String brand, String homeHref, String accountName, String userName, List<NavItem> nav,
                  List<Flash> flashes, Banner banner, String csrf, String logoutAction, Assets assets) {
        this(title, brand, homeHref, accountName, userName, nav, flashes, banner, csrf, logoutAction, assets, null, null);
    }

    /**
     * The strip above the header of a test tenant's pages ("TEST MODE"): what it says and a link (the test clock).
     * Null on a live tenant. {@code readOnly}: the strip of staff viewing a customer's portal, whose link ends it (a POST).
     */
    public record Mode(String label, String message, NavItem link, boolean readOnly) {
        public Mode(String label, String message, NavItem link) {
            this(label, message, link, false);
        }
    }

    /** Staff viewing a customer's portal (decision 049): every form of the page is disabled, and there is no log-out. */
    public boolean readOnly() {
        return mode != null && mode.readOnly();
    }

    public record NavItem(String label, String href, boolean current) {}

    /**
     * Menu text of more than this many characters gets a row of its own under the brand and the account, at every width
     * (decision 054): the portal's manager menu (67 characters; more with "Return to <seller>") cannot share one row
     * with a long brand and account name at 1280 px without wrapping raggedly; the console's (at most 51) and a
     * portal member's (17) can.
     */
    static final int ONE_ROW_MENU_CHARACTERS = 55;

    /** Whether the menu is drawn on a row of its own (see {@link #ONE_ROW_MENU_CHARACTERS}). */
    public boolean menuRow() {
        return nav != null && nav.stream().mapToInt(n -> n.label().length()).sum() > ONE_ROW_MENU_CHARACTERS;
    }

    public record Flash(Kind kind, String message) {
        public enum Kind { SUCCESS, INFO, ERROR }

        public String css() { return kind.name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** The unpaid-invoice notice (or any page-wide warning): a message, and actions as links. */
    public record Banner(String title, String message, List<NavItem> actions) {}

    public boolean signedIn() {
        return userName != null;
    }

    /** The header htmx sends with every request it makes, so htmx POSTs carry the CSRF token too. */
    public String htmxHeaders() {
        return "{\"" + Csrf.HEADER + "\":\"" + csrf + "\"}";
    }
}

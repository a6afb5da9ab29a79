package tollgate.web;

/** The 403 / 404 / 429 page (web/error.jte). */
public record ErrorView(Layout layout, int status, String heading, String message, String backHref) {}

package tollgate.web;

/**
 * Thrown by a page to answer an error page instead: {@link #notFound} (also for another account's ids: it must not
 * tell them from ids that do not exist) or {@link #forbidden} (a role that may not see the page).
 */
public final class WebError extends RuntimeException {
    private final int status;
    private final String heading;

    public WebError(int status, String heading, String message) {
        super(message, null, false, false);
        this.status = status;
        this.heading = heading;
    }

    public static WebError notFound() {
        return new WebError(404, "Page not found", "There is nothing at this address. Check the link, or go back to the start.");
    }

    public static WebError forbidden() {
        return new WebError(403, "Not allowed", "Your role does not give access to this page. Ask an owner or admin of your account.");
    }

    public int status() { return status; }
    public String heading() { return heading; }
}

package tollgate.console;

import tollgate.web.Web;

/**
 * A group of console pages (decision 041): the wiring builds it with the services it needs and hands it to
 * {@link Console#add}; {@link Console#routes} then asks it for its routes, under /console/. A page handler starts with
 * {@code ConsoleRequest req = console.signedIn(ctx)} and a role check, builds one view record, and renders a template
 * under src/main/jte/console/; each change calls {@link Console#audit}.
 */
public interface ConsolePages {
    void routes(Console console, Web.Router router);
}

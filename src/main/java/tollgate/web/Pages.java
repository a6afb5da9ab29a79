package tollgate.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * Renders the precompiled jte templates (src/main/jte, compiled by the build into classes: no compiler at run time).
 * A template takes one parameter, its view model: a record built by the portal or console, never a service.
 */
public final class Pages {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public String render(String template, Object view) {
        StringOutput out = new StringOutput();
        engine.render(template, view, out);
        return out.toString();
    }

    /** Answers the page with {@code status}; pages are never cached (they show one person's data). */
    public void send(Context ctx, int status, String template, Object view) {
        String html = render(template, view);
        ctx.status(status).contentType("text/html; charset=utf-8").header("Cache-Control", "no-store").result(html);
    }

    public void send(Context ctx, String template, Object view) {
        send(ctx, 200, template, view);
    }
}

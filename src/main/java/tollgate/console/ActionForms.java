package tollgate.console;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tollgate.core.Problem;
import tollgate.idempotency.Idempotency;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;

/**
 * The console's actions on accounts and invoices (decision 042): a page that says what the action does and what
 * follows, with its fields, and a POST that does it once. The form carries a one-time token; the POST runs under it as
 * an idempotency key ({@link Idempotency}, kept 24 h in the database, so any node), so a double click or a resubmitted
 * form replays the first answer instead of acting twice. A refusal (a field, or the service's 4xx) comes back as the
 * form with the message and what was typed, and frees the token for the corrected form.
 */
public final class ActionForms {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the confirmation page shows. */
    record Spec(String eyebrow, String heading, List<String> consequences, List<AccountViews.Field> fields, String button,
                boolean danger, String cancelHref) {}

    /** The action's result: the page to go to, the message shown there, and the audit line's object and fields. */
    record Done(String location, String flash, String action, String objectType, String objectId, Map<String, ?> before,
                Map<String, ?> after) {}

    /** A refusal of the typed values: the form comes back with its messages. */
    static final class Refused extends RuntimeException {
        final Form form;

        Refused(Form form) {
            super(null, null, false, false);
            this.form = form;
        }
    }

    interface Work {
        Done perform(Form form);
    }

    /**
     * Work that makes something in transactions of its own around a gateway's call (a refund, a charge): it records
     * what it made at {@code point}, so that a failure after it keeps the form's token from running it again
     * (decision 075).
     */
    interface RecordedWork {
        Done perform(Form form, tollgate.core.RecoveryPoint point);
    }

    private final Idempotency idempotency;

    public ActionForms(Idempotency idempotency) {
        this.idempotency = idempotency;
    }

    void show(Console console, Context ctx, ConsoleRequest req, String title, String current, Spec spec, Form form, int status) {
        show(console, ctx, req, title, current, spec, form, null, status);
    }

    private void show(Console console, Context ctx, ConsoleRequest req, String title, String current, Spec spec, Form form,
                      String error, int status) {
        String once = form.value("_once").isEmpty() ? newToken() : form.value("_once");
        console.render(ctx, status, "console/action.jte", new AccountViews.ActionPage(console.layout(ctx, req, title, current),
                spec.eyebrow(), spec.heading(), spec.consequences(), form, spec.fields(), error, ctx.path(), spec.button(), spec.danger(),
                spec.cancelHref(), once));
    }

    /** Runs {@code work} once per form token, audits it, and answers 303 to its page (or the form again, 422). */
    void submit(Console console, Context ctx, ConsoleRequest req, String title, String current, Spec spec, Work work) {
        submit(console, ctx, req, title, current, spec, (RecordedWork) (form, point) -> work.perform(form));
    }

    /** {@link #submit} for work that records what it made. */
    void submit(Console console, Context ctx, ConsoleRequest req, String title, String current, Spec spec, RecordedWork work) {
        String[] names = spec.fields().stream().map(AccountViews.Field::name).toArray(String[]::new);
        Form form = Form.posted(ctx, names);
        String once = ctx.formParam("_once");
        if (once == null || once.isBlank() || once.length() > 64) once = newToken();
        form.with("_once", once);
        if (!form.valid()) {
            show(console, ctx, req, title, current, spec, form, 422);
            return;
        }
        StringBuilder body = new StringBuilder();
        for (String n : names) body.append(n).append('=').append(form.value(n)).append('\n');
        Idempotency.Answer answer;
        try {
            answer = idempotency.runFormWithin(new Idempotency.Scope(req.tenant(), "console"), once, "POST", ctx.path(),
                    body.toString().getBytes(StandardCharsets.UTF_8), claim -> {
                        Done done = work.perform(form, claim.recoveryPoint());
                        console.audit(req, done.action(), done.objectType(), done.objectId(), done.before(), done.after());
                        return new Idempotency.Answer(303, "text/plain", done.location() + "\n" + done.flash());
                    });
        } catch (Refused r) {
            show(console, ctx, req, title, current, spec, r.form, 422);
            return;
        } catch (Problem p) {
            // The domain's refusal (the rules the API applies too), beside the field it names: company.address.line1 is "line1".
            String field = p.field() == null ? null : p.field().substring(p.field().lastIndexOf('.') + 1);
            boolean besideAField = field != null && List.of(names).contains(field);
            String message = inTheFormsWords(p.detail(), spec.fields());
            if (besideAField) form.reject(field, message);
            show(console, ctx, req, title, current, spec, form, besideAField ? null : message, 422);
            return;
        }
        String[] parts = answer.body().split("\n", 2);
        if (!answer.replayed()) console.flash(ctx, Layout.Flash.Kind.SUCCESS, parts[1]);
        throw new SeeOther(parts[0]);
    }

    /** A rule's message with the API's quoted field names ('company.address.line1') as the form's labels (“Address”). */
    static String inTheFormsWords(String detail, List<AccountViews.Field> fields) {
        if (detail == null) return null;
        java.util.regex.Matcher m = QUOTED_FIELD.matcher(detail);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).substring(m.group(1).lastIndexOf('.') + 1);
            String label = fields.stream().filter(f -> f.name().equals(name)).map(AccountViews.Field::label).findFirst().orElse(null);
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(label == null ? m.group() : "“" + label + "”"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static final java.util.regex.Pattern QUOTED_FIELD = java.util.regex.Pattern.compile("'([a-z_]+(?:\\.[a-z_]+)*)'");

    private static String newToken() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}

package tollgate.console;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;
import tollgate.timeline.TestClock;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * The test clock of a test workspace (issue 14 point 7, decision 041): "advance to the next 1st" and "advance to a
 * date". An advance runs in the background (a month of billing for many accounts takes a while); the page polls a
 * progress fragment with htmx every second and shows how far the clock has come; when the advance has finished, the
 * page reloads, so that everything on it (the strip's time, the clock, the next 1st) is the new time's. One advance per
 * tenant at a time.
 * Owners and admins; a live tenant has no test clock (404).
 */
public final class TestClockPages implements ConsolePages {
    private final TestClock clock;
    private final Map<String, Run> running = new ConcurrentHashMap<>();
    private Console console;

    public TestClockPages(TestClock clock) {
        this.clock = clock;
    }

    /** An advance under way or just finished: from, to, and how it ended (null while running). */
    static final class Run {
        final Instant from;
        final Instant to;
        volatile String outcome;
        volatile boolean failed;

        Run(Instant from, Instant to) {
            this.from = from;
            this.to = to;
        }
    }

    public record Progress(int percent, String now, String to, boolean done, String outcome, boolean failed, String pollHref) {}

    public record View(Layout layout, String now, String nextFirst, Form form, Progress progress, String action) {}

    @Override
    public void routes(Console console, Web.Router router) {
        this.console = console;
        router.get("/console/test-clock", ctx -> show(ctx, 200, Form.empty()));
        router.post("/console/test-clock/advance", this::advance);
        router.get("/console/test-clock/progress", ctx -> {
            ConsoleRequest req = allowed(ctx);
            Progress progress = progress(req.tenant());
            // Finished: the whole page is out of date (the strip's time, the clock, the next 1st its button offers), so
            // htmx reloads it rather than swap in the last fragment.
            // (No advance known, as after a restart: the same.)
            if (progress == null || progress.done()) ctx.header("HX-Refresh", "true");
            if (progress == null) ctx.result("");
            else console.render(ctx, 200, "console/test-clock-progress.jte", progress);
        });
    }

    private ConsoleRequest allowed(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        if (!req.tenant().isTest()) throw WebError.notFound();
        return req;
    }

    static Instant nextFirst(Instant now) {
        LocalDate d = now.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).plusMonths(1);
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private Progress progress(Tenant tenant) {
        Run r = running.get(tenant.id());
        if (r == null) return null;
        Instant now = clock.now(tenant);
        long total = Math.max(1, r.to.toEpochMilli() - r.from.toEpochMilli());
        int percent = r.outcome != null ? 100 : (int) Math.max(0, Math.min(99, (now.toEpochMilli() - r.from.toEpochMilli()) * 100 / total));
        return new Progress(percent, SettingsPages.MINUTE.format(now) + " UTC", SettingsPages.MINUTE.format(r.to) + " UTC", r.outcome != null,
                r.outcome, r.failed, ConsoleRequest.href("test-clock/progress"));
    }

    private void show(Context ctx, int status, Form form) {
        ConsoleRequest req = allowed(ctx);
        Instant now = clock.now(req.tenant());
        console.render(ctx, status, "console/test-clock.jte", new View(console.layout(ctx, req, "Test clock", "settings"),
                SettingsPages.MINUTE.format(now) + " UTC", SettingsPages.DAY.format(nextFirst(now)), form, progress(req.tenant()),
                ConsoleRequest.href("test-clock/advance")));
    }

    private void advance(Context ctx) {
        ConsoleRequest req = allowed(ctx);
        Form form = Form.posted(ctx, "to", "mode");
        Instant now = clock.now(req.tenant());
        Instant to = null;
        if ("next_first".equals(form.value("mode"))) {
            to = nextFirst(now);
        } else {
            try {
                to = LocalDate.parse(form.value("to")).atStartOfDay(ZoneOffset.UTC).toInstant();
                if (!to.isAfter(now)) form.reject("to", "Choose a date after the test clock's " + SettingsPages.DAY.format(now) + ".");
                else if (to.isAfter(now.atOffset(ZoneOffset.UTC).plus(TestClock.MAX_ADVANCE).toInstant()))
                    form.reject("to", "One advance moves the clock at most two years: choose an earlier date and advance again.");
            } catch (java.time.format.DateTimeParseException e) {
                form.reject("to", "Choose a date, e.g. 2026-07-01.");
            }
        }
        Run previous = running.get(req.tenant().id());
        if (previous != null && previous.outcome == null) form.reject("to", "An advance is under way: wait until it has finished.");
        if (!form.valid()) {
            show(ctx, 422, form);
            return;
        }
        Run run = new Run(now, to);
        running.put(req.tenant().id(), run);
        Tenant tenant = req.tenant();
        Instant target = to;
        console.audit(req, "test_clock.advanced", "test_clock", tenant.id(), Map.of("now", now.toString()), Map.of("now", target.toString()));
        Thread.ofVirtual().name("console-test-clock").start(() -> {
            try {
                clock.advance(tenant, target);
                run.outcome = "The test clock is at " + SettingsPages.MINUTE.format(target) + " UTC: everything due until then has run.";
            } catch (Problem p) {
                run.failed = true;
                run.outcome = p.detail();
            } catch (RuntimeException e) {
                run.failed = true;
                run.outcome = "The advance stopped: " + e.getMessage();
            }
        });
        // No flash: the progress card says where the clock is going, and is replaced when it gets there.
        throw new SeeOther(ConsoleRequest.href("test-clock"));
    }
}

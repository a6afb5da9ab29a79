package tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tollgate.testing.ApiClient.Res;

/**
 * One account's payments and dunning as the API shows them, for scenario tests that step the test clock and assert
 * every answer with exact values. Ids are shown by the short names the test gives them ({@link #name}), so a failure
 * prints "hosting past_due" rather than two opaque ids. {@link #newEvents} answers the account's events not seen by an
 * earlier call: what happened since the last look.
 */
public final class Dunned {
    /** The invoice's payment fields. */
    public record Inv(String status, long amountPaid, long amountDue, int attemptCount, String nextPaymentAttempt) {}

    /** One charge: round, place in the round, card, outcome, what started the round, when. */
    public record Attempt(int attempt, int position, String method, long amount, String status, String declineReason,
                          String reason, String at) {}

    /** One message in the outbox. */
    public record Note(String template, String recipient, String invoice, long amountDue, int attemptCount, String at) {}

    /** The entitlements, with the next step flattened to its action and date. */
    public record Ent(boolean canIssueLicenses, String services, long pastDueAmount, List<String> pastDueInvoices,
                      String nextAction, String nextDueAt, String dataDeletedAt, String backupsPurgeAt, String backups) {}

    /** A dunning step of the timeline: ran ones have {@code ranAt} and {@code outcome}, upcoming ones neither. */
    public record Step(String invoice, int step, String action, String template, String dueAt, String ranAt, String outcome) {}

    /** Everything above at one moment, to show that a quiet day changed nothing. */
    public record Picture(Inv invoice, List<Attempt> attempts, List<Note> notes, Ent entitlements, boolean inDunning,
                          List<Step> past, List<Step> upcoming, Map<String, String> subscriptions) {}

    private final ApiClient api;
    public final String account;
    private final Map<String, String> names = new HashMap<>();
    private final Set<String> seen = new HashSet<>();

    public Dunned(ApiClient api, String account) {
        this.api = api;
        this.account = account;
    }

    /** Shows {@code id} as {@code name} in everything this answers. */
    public Dunned name(String id, String name) {
        names.put(id, name);
        return this;
    }

    public String id(String name) {
        return names.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no id named " + name));
    }

    /** The name given to {@code id}, or the id itself. */
    public String nameOf(String id) {
        return names.getOrDefault(id, id);
    }

    private String named(JsonNode id) {
        if (id == null || id.isNull()) return null;
        return names.getOrDefault(id.asText(), id.asText());
    }

    private JsonNode ok(Res r) {
        if (r.status() != 200) throw new AssertionError("expected 200: " + r);
        return r.json();
    }

    public Inv invoice(String invoiceName) {
        JsonNode i = ok(api.get("/v1/invoices/" + id(invoiceName)));
        return new Inv(i.get("status").asText(), i.get("amount_paid").asLong(), i.get("amount_due").asLong(),
                i.get("attempt_count").asInt(), text(i.get("next_payment_attempt")));
    }

    /** The invoice's payment attempts, oldest first (the list is newest first). */
    public List<Attempt> attempts(String invoiceName) {
        List<Attempt> out = new ArrayList<>();
        for (JsonNode a : ok(api.get("/v1/invoices/" + id(invoiceName) + "/payment_attempts?limit=100")).get("data"))
            out.addFirst(new Attempt(a.get("attempt").asInt(), a.get("position").asInt(), named(a.get("payment_method")),
                    a.get("amount").asLong(), a.get("status").asText(), text(a.get("decline_reason")), a.get("reason").asText(),
                    a.get("created_at").asText()));
        return out;
    }

    /** The outbox, oldest first. */
    public List<Note> notes() {
        List<Note> out = new ArrayList<>();
        for (JsonNode n : ok(api.get("/v1/accounts/" + account + "/notifications?limit=100")).get("data"))
            out.addFirst(new Note(n.get("template").asText(), text(n.get("recipient")), named(n.get("invoice")),
                    n.at("/data/amount_due").asLong(), n.at("/data/attempt_count").asInt(), n.get("created_at").asText()));
        return out;
    }

    public Ent entitlements() {
        JsonNode e = ok(api.get("/v1/accounts/" + account + "/entitlements"));
        List<String> invoices = new ArrayList<>();
        e.get("past_due_invoices").forEach(i -> invoices.add(named(i)));
        JsonNode next = e.get("next_dunning_step");
        JsonNode del = e.get("data_deletion");
        boolean none = del == null || del.isNull();
        return new Ent(e.get("can_issue_licenses").asBoolean(), e.get("services").asText(), e.get("past_due_amount").asLong(),
                invoices, next.isNull() ? null : next.get("action").asText(), next.isNull() ? null : next.get("due_at").asText(),
                none ? null : del.get("data_deleted_at").asText(), none ? null : del.get("backups_purge_at").asText(),
                none ? null : del.get("backups").asText());
    }

    public JsonNode timeline() {
        return ok(api.get("/v1/accounts/" + account + "/dunning"));
    }

    public List<Step> past() {
        return steps(timeline().get("past"));
    }

    public List<Step> upcoming() {
        return steps(timeline().get("upcoming"));
    }

    private List<Step> steps(JsonNode list) {
        List<Step> out = new ArrayList<>();
        for (JsonNode s : list)
            out.add(new Step(named(s.get("invoice")), s.get("step").asInt(), s.get("action").asText(), text(s.get("template")),
                    s.get("due_at").asText(), text(s.get("ran_at")), text(s.get("outcome"))));
        return out;
    }

    /** Each subscription of the account (by name) and its status. */
    public Map<String, String> subscriptions() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode s : ok(api.get("/v1/accounts/" + account + "/subscriptions?limit=100")).get("data"))
            out.put(named(s.get("id")), s.get("status").asText());
        return out;
    }

    public Picture picture(String invoiceName) {
        JsonNode t = timeline();
        return new Picture(invoice(invoiceName), attempts(invoiceName), notes(), entitlements(), t.get("in_dunning").asBoolean(),
                steps(t.get("past")), steps(t.get("upcoming")), subscriptions());
    }

    /**
     * The account's events not answered before, each summarised with what matters to dunning, sorted (several jobs
     * run at one instant and ids made in one millisecond do not sort by creation). Marks them seen.
     */
    public List<String> newEvents() {
        List<String> out = new ArrayList<>();
        String after = null;
        while (true) {
            JsonNode page = ok(api.get("/v1/events?account=" + account + "&limit=100" + (after == null ? "" : "&starting_after=" + after)));
            for (JsonNode e : page.get("data")) {
                after = e.get("id").asText();
                if (seen.add(after)) out.add(e.get("created_at").asText() + " " + summary(e));
            }
            if (!page.get("has_more").asBoolean()) break;
        }
        out.sort(null);
        return out;
    }

    private String summary(JsonNode e) {
        String type = e.get("type").asText();
        JsonNode d = e.get("data");
        return switch (type) {
            case "invoice.payment_failed" -> type + " " + named(d.get("invoice")) + " #" + d.get("attempt_count").asInt() + " "
                    + d.get("reason").asText() + " " + d.get("decline_reason").asText();
            case "invoice.issued", "invoice.paid", "invoice.updated", "invoice.voided" -> type + " " + named(d.get("id")) + " "
                    + d.get("status").asText() + " due " + d.get("amount_due").asLong();
            case "invoice.past_due" -> type + " " + named(d.get("invoice")) + " " + d.get("policy").asText() + " due "
                    + d.get("amount_due").asLong();
            case "subscription.created", "subscription.updated", "subscription.canceled" -> type + " " + named(d.get("id")) + " "
                    + d.get("status").asText();
            case "notification.created" -> type + " " + d.get("template").asText() + " " + named(d.get("invoice"));
            case "dunning.step_run" -> type + " " + named(d.get("invoice")) + " " + d.get("step").asInt() + " "
                    + d.get("action").asText() + " " + d.get("outcome").asText();
            case "account.dunning_ended" -> type + " " + named(d.get("invoice"));
            case "account.data_deletion_scheduled" -> type + " purge " + d.get("backups_purge_at").asText();
            case "payment_method.attached", "payment_method.detached" -> type + " " + named(d.get("id"));
            case "license.issued", "license.revoked" -> type + " " + named(d.get("id")) + " " + d.get("status").asText();
            case "bundle.issued", "bundle.revoked" -> type + " " + named(d.get("id"));
            default -> type;
        };
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() ? null : v.asText();
    }
}

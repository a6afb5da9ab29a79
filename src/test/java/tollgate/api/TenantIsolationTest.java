package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Json;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Issue 15 point 7, SPEC §8 "a key never sees another tenant's data", generated from the OpenAPI document: for every
 * documented route with an id in its path, tenant B's key on tenant A's object answers 404 and changes nothing (a
 * digest of every row of A's, in every table with a {@code tenant_id}, is the same before and after), and a test
 * tenant's key on a live tenant's objects likewise. A new route is covered without a new test; a route whose kind of
 * object the table {@link #MAKERS} cannot create fails this test until a maker is added.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class TenantIsolationTest {
    @Parameter
    TestDatabase database;

    /** One tenant's objects, made once each on demand. */
    static final class World {
        final ApiClient api;
        final boolean live;
        private final Map<String, String> made = new LinkedHashMap<>();

        World(ApiClient api, boolean live) {
            this.api = api;
            this.live = live;
        }

        String get(String kind) {
            String id = made.get(kind);
            if (id == null) {
                id = MAKERS.get(kind).apply(this);
                made.put(kind, id);
            }
            return id;
        }

        String account() {
            return get(live ? "accounts" : "paying_account");
        }

        String ok(Res r, String what) {
            if (r.status() != 200) throw new AssertionError(what + " not created: " + r);
            return r.str("id");
        }
    }

    /**
     * How to create an object of each kind a path names before its {@code {id}}, in the tenant of a {@link World}. A
     * live tenant has no sandbox cards, so kinds that need a card are made for test tenants only ({@link #NEEDS_CARD}).
     */
    static final Map<String, Function<World, String>> MAKERS = new TreeMap<>(Map.ofEntries(
            Map.entry("accounts", w -> w.api.newAccount("Isolated", "usd", "UTC")),
            Map.entry("paying_account", w -> Fixtures.payingAccount(w.api, "Isolated payer", "usd")),
            Map.entry("plans", w -> Fixtures.licensePlan(w.api, "usd", 900)),
            Map.entry("flat_plan", w -> Fixtures.flatPlan(w.api, "usd")),
            Map.entry("coupons", w -> w.ok(w.api.post("/v1/coupons", "{\"percent_off\":10,\"duration\":\"once\"}"), "coupon")),
            Map.entry("licenses", w -> Fixtures.issueOne(w.api, w.account(), w.get("plans"))),
            Map.entry("bundles", w -> w.ok(w.api.post("/v1/accounts/" + w.account() + "/bundles",
                    "{\"plan\":\"" + w.get("plans") + "\",\"size\":2}"), "bundle")),
            Map.entry("subscriptions", w -> w.ok(w.api.post("/v1/accounts/" + w.account() + "/subscriptions",
                    "{\"plan\":\"" + w.get("flat_plan") + "\"}"), "subscription")),
            Map.entry("invoices", w -> {
                w.get("subscriptions"); // the subscription's first invoice, issued and paid at once
                return w.api.get("/v1/accounts/" + w.account() + "/invoices").json().at("/data/0/id").asText();
            }),
            Map.entry("invoice_items", w -> w.ok(w.api.post("/v1/accounts/" + w.account() + "/invoice_items",
                    "{\"amount\":300,\"description\":\"Setup\"}"), "invoice item")),
            Map.entry("payment_methods", w -> Fixtures.attachCard(w.api, w.account(), "tok_mastercard")),
            Map.entry("credit_notes", w -> w.ok(w.api.post("/v1/invoices/" + w.get("invoices") + "/credit_notes",
                    "{\"amount\":100,\"refund_to\":\"balance\"}"), "credit note")),
            Map.entry("refunds", w -> {
                Res note = w.api.post("/v1/invoices/" + w.get("invoices") + "/credit_notes", "{\"amount\":200,\"refund_to\":\"payment\"}");
                if (note.status() != 200 || note.json().at("/refund/id").isMissingNode()) throw new AssertionError("refund not made: " + note);
                return note.json().at("/refund/id").asText();
            }),
            Map.entry("dunning_policies", w -> w.ok(w.api.post("/v1/dunning_policies",
                    "{\"name\":\"Strict\",\"steps\":[{\"after_days\":3,\"action\":\"block_new_licenses\"}]}"), "dunning policy")),
            Map.entry("events", w -> {
                w.get("accounts");
                return w.api.get("/v1/events").json().at("/data/0/id").asText();
            }),
            // Subscribed to an event nothing here makes: no delivery runs in the background between the two digests.
            Map.entry("webhook_endpoints", w -> w.ok(w.api.post("/v1/webhook_endpoints",
                    "{\"url\":\"http://127.0.0.1:9/hook\",\"enabled_events\":[\"account.backups_purged\"]}"), "webhook endpoint")),
            Map.entry("api_keys", w -> w.ok(w.api.post("/v1/api_keys", "{\"name\":\"Second key\"}"), "api key")),
            // An email to the account (the invoice's, sent when it was issued) in the test tenant's mailbox.
            Map.entry("mail", w -> {
                w.get("invoices");
                Res mail = w.api.get("/v1/accounts/" + w.account() + "/notifications");
                if (mail.status() != 200 || mail.json().at("/data/0/id").isMissingNode()) throw new AssertionError("no mail: " + mail);
                return mail.json().at("/data/0/id").asText();
            })));

    /**
     * Kinds a live tenant cannot have here: those that need a card (a live tenant has no sandbox), and webhook endpoints
     * (a live tenant's URL must be https and resolve to a public address, which this machine cannot offer).
     */
    static final Set<String> NEEDS_CARD = Set.of("licenses", "bundles", "subscriptions", "invoices", "payment_methods",
            "credit_notes", "refunds", "webhook_endpoints", "mail");

    /** A documented operation on an object: the method, the path and the kind of object its id names. */
    record Operation(String method, String path, String kind, JsonNode op) {}

    /** The API's routes; {@code /dev/mail} is the test tenants' mailbox of outgoing emails, read by the same check below. */
    static List<Operation> operationsWithIds(JsonNode doc) {
        List<Operation> out = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> {
            String p = path.getKey();
            int id = p.indexOf("/{id}");
            if (id < 0) return;
            String kind = p.substring(p.lastIndexOf('/', id - 1) + 1, id);
            path.getValue().fields().forEachRemaining(op -> {
                if (Set.of("get", "post", "delete").contains(op.getKey())) out.add(new Operation(op.getKey(), p, kind, op.getValue()));
            });
        });
        return out;
    }

    @Test
    void everyRouteWithAnIdHasAWayToCreateItsObject() throws Exception {
        JsonNode doc = Json.MAPPER.readTree(TestServer.on(database).app.openApi());
        List<Operation> ops = operationsWithIds(doc);
        assertThat(ops).hasSizeGreaterThan(30);
        assertThat(ops).allSatisfy(o -> assertThat(MAKERS).as("no way to create a '" + o.kind() + "' for " + o.method().toUpperCase()
                + " " + o.path() + ": add one to TenantIsolationTest.MAKERS").containsKey(o.kind()));
    }

    @Test
    void anotherTenantsKeyOnEveryRouteWithAnIdAnswers404AndChangesNothing() throws Exception {
        TestServer server = TestServer.on(database);
        JsonNode doc = Json.MAPPER.readTree(server.app.openApi());
        World a = new World(server.newTenant(), false);
        ApiClient b = server.newTenant();
        attack(server, doc, a, b);
    }

    @Test
    void aTestKeyNeverReachesALiveObject() throws Exception {
        TestServer server = TestServer.on(database);
        JsonNode doc = Json.MAPPER.readTree(server.app.openApi());
        World live = new World(server.newLiveTenant(), true);
        ApiClient test = server.newTenant();
        attack(server, doc, live, test);
    }

    private void attack(TestServer server, JsonNode doc, World victim, ApiClient intruder) throws Exception {
        List<Operation> ops = operationsWithIds(doc).stream()
                .filter(o -> MAKERS.containsKey(o.kind()) && !(victim.live && NEEDS_CARD.contains(o.kind()))).toList();
        for (Operation o : ops) victim.get(o.kind()); // every object first: the digest is taken once they all exist
        Map<String, String> before = settledDigest(server, victim.api.tenant.id());
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (Operation o : ops) {
            String url = o.path().replace("{id}", victim.get(o.kind()));
            Res r = switch (o.method()) {
                case "get" -> intruder.get(url);
                case "delete" -> intruder.delete(url);
                default -> intruder.post(url, plausibleBody(o.op(), doc));
            };
            tried++;
            if (r.status() != 404 || r.code() == null)
                failures.add(o.method().toUpperCase() + " " + url + " -> " + r.status() + " " + r.text());
        }
        assertThat(failures).as("answers to another tenant's key").isEmpty();
        assertThat(tried).isEqualTo(ops.size());
        Map<String, String> after = settledDigest(server, victim.api.tenant.id());
        assertThat(after).as("the victim's rows, table by table").isEqualTo(before);
        // And its objects still answer their owner.
        assertThat(victim.api.get("/v1/accounts/" + victim.get("accounts")).status()).isEqualTo(200);
    }

    /**
     * The digest once the victim's own last writes have settled: an API write's audit line is written just after its
     * answer (decision 041), so a digest taken at once may miss the last one. Two equal digests 200 ms apart, within 10 s.
     */
    private static Map<String, String> settledDigest(TestServer server, String tenantId) throws Exception {
        Map<String, String> last = digest(server.app.db.dsl(), tenantId);
        for (int i = 0; i < 50; i++) {
            Thread.sleep(200);
            Map<String, String> now = digest(server.app.db.dsl(), tenantId);
            if (now.equals(last)) return now;
            last = now;
        }
        return last;
    }

    /**
     * A body that passes a handler's parsing: every required field with a value of its documented type (an array with one
     * item built the same way), and every optional integer but days_until_due (some handlers check a field the schema leaves optional).
     */
    static String plausibleBody(JsonNode op, JsonNode doc) {
        JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
        return Json.write(plausible(schema, doc));
    }

    private static Map<String, Object> plausible(JsonNode schema, JsonNode doc) {
        if (schema.has("$ref")) schema = doc.at(schema.get("$ref").asText().substring(1));
        Map<String, Object> body = new LinkedHashMap<>();
        Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        for (var fields = schema.path("properties").fields(); fields.hasNext(); ) {
            var f = fields.next();
            String name = f.getKey();
            JsonNode p = f.getValue();
            if (p.has("$ref")) p = doc.at(p.get("$ref").asText().substring(1));
            String type = p.path("type").isArray() ? p.path("type").get(0).asText() : p.path("type").asText("string");
            // days_until_due is refused without collection_method send_invoice (a rule between fields the schema cannot say)
            if (!required.contains(name) && (!type.equals("integer") || name.equals("days_until_due"))) continue;
            // A field that needs another one given with it (dependentRequired: a draft's amount and description) is left out.
            if (!required.contains(name) && schema.path("dependentRequired").has(name)) continue;
            if (p.has("enum")) {
                body.put(name, Json.MAPPER.convertValue(p.get("enum").get(0), Object.class));
                continue;
            }
            body.put(name, switch (type) {
                case "integer", "number" -> 100;
                case "boolean" -> false;
                case "array" -> p.path("items").isObject() && (p.path("items").has("properties") || p.path("items").has("$ref"))
                        ? List.of(plausible(p.path("items"), doc)) : List.of("x");
                case "object" -> Map.of();
                default -> name.contains("url") ? "https://site.example.com" : name.equals("currency") ? "usd" : "x";
            });
        }
        return body;
    }

    /**
     * Every row of the tenant in every table with a {@code tenant_id}, hashed table by table (rows sorted as text).
     * Outboxes that background workers work through on their own are left out (their rows change with no request).
     */
    static Map<String, String> digest(DSLContext db, String tenantId) throws Exception {
        String schema = db.connectionResult(c -> c.getSchema());
        List<String> tables = db.fetch("select distinct table_name from information_schema.columns where lower(column_name) = 'tenant_id' "
                + "and lower(table_schema) = lower(?) order by 1", schema).getValues(0, String.class);
        assertThat(tables).contains("accounts", "invoices", "licenses");
        Map<String, String> out = new TreeMap<>();
        for (String table : tables) {
            if (table.matches(".*(deliver|outbox|mail|notification).*")) continue;
            List<String> rows = new ArrayList<>();
            for (var r : db.fetch("select * from " + table + " where tenant_id = ?", tenantId)) {
                StringBuilder row = new StringBuilder();
                for (Object v : r.intoArray()) row.append(v instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(v)).append('|');
                rows.add(row.toString());
            }
            rows.sort(null);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String row : rows) sha.update(row.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.put(table, rows.size() + " rows " + HexFormat.of().formatHex(sha.digest()));
        }
        return out;
    }
}

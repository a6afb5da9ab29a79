package tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tollgate.core.Json;
import tollgate.tenants.Tenant;

/** A small HTTP client for the API, holding one tenant's key. */
public final class ApiClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final String baseUrl;
    public final String key;
    public final Tenant tenant;

    ApiClient(String baseUrl, String key, Tenant tenant) {
        this.baseUrl = baseUrl;
        this.key = key;
        this.tenant = tenant;
    }

    /** A client of a server this test did not build (another process), holding {@code key}. */
    public static ApiClient at(String baseUrl, String key) {
        return new ApiClient(baseUrl, key, null);
    }

    /** The same tenant through another of its keys. */
    public ApiClient withKey(String otherKey) {
        return new ApiClient(baseUrl, otherKey, tenant);
    }

    /** A response: status, headers and the body as JSON (null when it is not JSON). */
    public record Res(int status, Map<String, String> headers, String text, JsonNode json) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public String code() {
            return json == null || json.get("code") == null ? null : json.get("code").asText();
        }

        public String str(String field) {
            JsonNode v = json.get(field);
            return v == null || v.isNull() ? null : v.asText();
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    public Res get(String path) {
        return send(request(path).GET());
    }

    public Res delete(String path) {
        return send(request(path).DELETE());
    }

    public Res post(String path, String json) {
        return post(path, json, Map.of());
    }

    public Res post(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
        if (json != null) b.header("Content-Type", "application/json");
        headers.forEach(b::header);
        return send(b);
    }

    public Res send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> r = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            JsonNode json = null;
            String type = headers.getOrDefault("content-type", "");
            if (type.contains("json") && !r.body().isEmpty()) json = Json.MAPPER.readTree(r.body());
            Res res = new Res(r.statusCode(), headers, r.body(), json);
            DocumentedAnswers.check(baseUrl, r.request().method(), r.request().uri(), res);
            return res;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return b;
    }

    /** The id of the resource a request answered with 200; any other answer fails the test, showing it. */
    public String idOf(Res r) {
        if (r.status() != 200) throw new AssertionError("expected 200: " + r);
        return r.str("id");
    }

    /** Moves this test tenant's clock to {@code to} (RFC 3339), running what falls due; a refusal fails the test. */
    public void advanceTo(String to) {
        Res r = post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        if (r.status() != 200) throw new AssertionError("clock not advanced to " + to + ": " + r);
    }

    /** Opens an account and answers its id. */
    public String newAccount(String name, String currency, String timezone) {
        // The name is written into the JSON as given (callers escape quotes); the address's domain keeps of it what a
        // domain label may hold: Contoso, \"West\" bills at contoso-west.test.
        String domain = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "-").replaceAll("^-|-$", "");
        Res r = post("/v1/accounts", "{\"name\":\"" + name + "\",\"email\":\"billing@" + (domain.isEmpty() ? "account" : domain)
                + ".test\",\"currency\":\"" + currency + "\",\"timezone\":\"" + timezone + "\"}");
        if (r.status() != 200) throw new AssertionError("account not created: " + r);
        return r.str("id");
    }

    /** Opens an account that pays: a card that always succeeds ({@code tok_visa}) is its primary payment method. */
    public String newPayingAccount(String name, String currency, String timezone) {
        String account = newAccount(name, currency, timezone);
        Res card = post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\"}");
        if (card.status() != 200) throw new AssertionError("card not attached: " + card);
        return account;
    }
}

package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;

/** The payment-method calls the tests make, and what they read back. */
final class PaymentMethodCalls {
    private final ApiClient api;

    PaymentMethodCalls(ApiClient api) {
        this.api = api;
    }

    Res attach(String accountId, String body) {
        return api.post("/v1/accounts/" + accountId + "/payment_methods", body);
    }

    /** Attaches {@code token} and answers the new method's id. */
    String attached(String accountId, String token) {
        return attached(accountId, token, false);
    }

    String attached(String accountId, String token, boolean primary) {
        Res r = attach(accountId, "{\"token\":\"" + token + "\"" + (primary ? ",\"primary\":true" : "") + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.str("id");
    }

    Res makePrimary(String paymentMethodId) {
        return api.post("/v1/payment_methods/" + paymentMethodId + "/make_primary", null);
    }

    Res delete(String paymentMethodId) {
        return api.delete("/v1/payment_methods/" + paymentMethodId);
    }

    /** The account's methods as the list shows them (all of them: at most 100 in these tests). */
    List<JsonNode> list(String accountId) {
        Res r = api.get("/v1/accounts/" + accountId + "/payment_methods?limit=100");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("data").forEach(out::add);
        return out;
    }

    List<String> ids(String accountId) {
        return list(accountId).stream().map(m -> m.get("id").asText()).toList();
    }

    List<String> primaries(String accountId) {
        return list(accountId).stream().filter(m -> m.get("primary").asBoolean()).map(m -> m.get("id").asText()).toList();
    }

    /** Event types recorded for the account, oldest first. */
    List<String> eventTypes(String accountId) {
        Res r = api.get("/v1/events?limit=100&account=" + accountId);
        List<String> types = new ArrayList<>();
        r.json().get("data").forEach(e -> types.add(0, e.get("type").asText()));
        return types;
    }

    List<JsonNode> events(String accountId, String type) {
        Res r = api.get("/v1/events?limit=100&account=" + accountId + "&type=" + type);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("data").forEach(e -> out.add(0, e));
        return out;
    }
}

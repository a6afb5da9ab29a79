package tollgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class EventsApiTest {
    @Parameter
    TestDatabase database;

    @Test
    void eventsAreFilteredByTypeAndAccountAndPagedNewestFirst() {
        ApiClient api = TestServer.on(database).newTenant();
        String a = api.newAccount("A", "usd", "UTC");
        String b = api.newAccount("B", "eur", "Europe/Paris");
        String c = api.newAccount("C", "gbp", "Europe/London");

        Res all = api.get("/v1/events");
        assertThat(all.json().get("data")).hasSize(3);
        assertThat(all.json().at("/data/0/account").asText()).isEqualTo(c);
        assertThat(all.json().at("/data/0/object").asText()).isEqualTo("event");
        assertThat(all.json().at("/data/0/type").asText()).isEqualTo("account.created");
        assertThat(all.json().at("/data/0/id").asText()).startsWith("evt_");

        assertThat(api.get("/v1/events?account=" + b).json().get("data")).hasSize(1);
        assertThat(api.get("/v1/events?type=account.created").json().get("data")).hasSize(3);
        assertThat(api.get("/v1/events?type=license.issued").json().get("data")).isEmpty();

        Res page1 = api.get("/v1/events?limit=2");
        assertThat(page1.json().get("has_more").asBoolean()).isTrue();
        String last = page1.json().at("/data/1/id").asText();
        Res page2 = api.get("/v1/events?limit=2&starting_after=" + last);
        assertThat(page2.json().get("has_more").asBoolean()).isFalse();
        List<String> accounts = new ArrayList<>();
        page1.json().get("data").forEach(e -> accounts.add(e.get("account").asText()));
        page2.json().get("data").forEach(e -> accounts.add(e.get("account").asText()));
        assertThat(accounts).containsExactly(c, b, a);
    }

    @Test
    void anUnknownStartingAfterIs404() {
        ApiClient api = TestServer.on(database).newTenant();
        Res r = api.get("/v1/events?starting_after=evt_nope");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("resource_missing");
        assertThat(r.str("field")).isEqualTo("starting_after");
    }
}

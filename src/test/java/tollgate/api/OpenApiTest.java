package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tollgate.core.Json;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** The OpenAPI document and the router must name the same routes; a route missing from either fails here. */
class OpenApiTest {

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
        TestServer server = TestServer.on(TestDatabase.H2);
        Res served = server.anonymous().get("/v1/openapi.json");
        assertThat(served.status()).isEqualTo(200);
        JsonNode doc = Json.MAPPER.readTree(server.app.openApi());
        assertThat(served.json()).isEqualTo(doc);
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");

        Set<String> routed = new HashSet<>();
        for (Route r : server.app.routes) routed.add(r.method().lower() + " " + r.path());
        Set<String> documented = new HashSet<>();
        for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> methods = doc.get("paths").get(path).fieldNames(); methods.hasNext(); ) {
                documented.add(methods.next() + " " + path);
            }
        }
        assertThat(documented).as("documented but not routed").isSubsetOf(routed);
        assertThat(routed).as("routed but not documented").isSubsetOf(documented);
    }

    @Test
    void everyDocumentedOperationSaysHowItFails() throws Exception {
        JsonNode paths = Json.MAPPER.readTree(TestServer.on(TestDatabase.H2).app.openApi()).get("paths");
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            assertThat(op.getValue().get("summary")).as(op.getKey() + " " + path.getKey()).isNotNull();
            assertThat(op.getValue().get("responses").get("200")).as(op.getKey() + " " + path.getKey()).isNotNull();
        }));
    }
}

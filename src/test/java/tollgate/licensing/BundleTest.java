package tollgate.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §3: a bundle always has {@code size} non-revoked licenses; revoking the bundle revokes them all. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class BundleTest {
    @Parameter
    TestDatabase database;
    ApiClient api;
    String account;
    String plan;

    @BeforeEach
    void agency() {
        api = TestServer.on(database).newTenant();
        account = Fixtures.payingAccount(api, "Agency", "usd");
        plan = Fixtures.licensePlan(api, "usd", 900);
    }

    private Res bundle(int size) {
        return api.post("/v1/accounts/" + account + "/bundles", "{\"plan\":\"" + plan + "\",\"size\":" + size + "}");
    }

    private static long live(JsonNode bundle) {
        long n = 0;
        for (JsonNode l : bundle.get("licenses")) if (!l.get("status").asText().equals("revoked")) n++;
        return n;
    }

    @Test
    void aBundleSaysItsStateOnceInStatus() {
        Res b = bundle(2);
        assertThat(b.str("status")).isEqualTo("active");
        assertThat(b.json().has("active")).as(b.text()).isFalse();
        Res revoked = api.post("/v1/bundles/" + b.str("id") + "/revoke", null);
        assertThat(revoked.str("status")).isEqualTo("revoked");
        assertThat(revoked.json().has("active")).isFalse();
        assertThat(api.get("/v1/bundles/" + b.str("id")).json().has("active")).isFalse();
    }

    @Test
    void aBundleIsIssuedWithSizeLicenses() {
        Res b = bundle(5);
        assertThat(b.status()).as(b.text()).isEqualTo(200);
        assertThat(b.str("id")).startsWith("bndl_");
        assertThat(b.str("object")).isEqualTo("bundle");
        assertThat(b.str("status")).isEqualTo("active");
        assertThat(b.json().get("size").asInt()).isEqualTo(5);
        assertThat(b.json().get("licenses")).hasSize(5).allSatisfy(l -> {
            assertThat(l.get("bundle").asText()).isEqualTo(b.str("id"));
            assertThat(l.get("key").asText()).hasSize(29);
        });
    }

    @Test
    void revokingABundlesLicenseRefillsTheBundleAtOnce() {
        Res b = bundle(3);
        String revokedId = b.json().at("/licenses/0/id").asText();
        Res revoked = api.post("/v1/licenses/" + revokedId + "/revoke", null);
        assertThat(revoked.str("status")).isEqualTo("revoked");

        Res after = api.get("/v1/bundles/" + b.str("id"));
        assertThat(after.json().get("licenses")).hasSize(4);
        assertThat(live(after.json())).isEqualTo(3);
        assertThat(api.get("/v1/events?type=license.issued&account=" + account).json().get("data")).hasSize(4);
    }

    @Test
    void revokingTheBundleRevokesAllItsLicensesAndIsFinal() {
        Res b = bundle(4);
        String id = b.str("id");
        api.post("/v1/licenses/" + b.json().at("/licenses/1/id").asText() + "/assign", "{\"site_url\":\"https://a.example\"}");
        Res revoked = api.post("/v1/bundles/" + id + "/revoke", null);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.str("status")).isEqualTo("revoked");
        assertThat(revoked.str("revoked_at")).isNotNull();
        assertThat(live(revoked.json())).isZero();
        assertThat(revoked.json().get("licenses")).hasSize(4);

        Res again = api.post("/v1/bundles/" + id + "/revoke", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("bundle_revoked");
        assertThat(api.get("/v1/events?type=license.revoked&account=" + account).json().get("data")).hasSize(4);
        assertThat(api.get("/v1/events?type=bundle.revoked&account=" + account).json().get("data")).hasSize(1);
    }

    @Test
    void fiftyConcurrentRevokesInOneBundleLeaveExactlySizeLiveLicenses() throws Exception {
        int size = 50;
        Res b = bundle(size);
        List<String> originals = new ArrayList<>();
        b.json().get("licenses").forEach(l -> originals.add(l.get("id").asText()));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Res>> results = new ArrayList<>();
        for (String id : originals) {
            results.add(pool.submit(() -> {
                go.await();
                return api.post("/v1/licenses/" + id + "/revoke", null);
            }));
        }
        go.countDown();
        for (Future<Res> f : results) assertThat(f.get().status()).isEqualTo(200);
        pool.shutdown();

        JsonNode after = api.get("/v1/bundles/" + b.str("id")).json();
        assertThat(after.get("licenses")).hasSize(2 * size);
        assertThat(live(after)).isEqualTo(size);
    }

    @Test
    void bundleSizesOutsideTwoToAThousandAreRefused() {
        for (int size : new int[] {1, 0, -5, 1001}) {
            Res r = bundle(size);
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.str("field")).isEqualTo("size");
        }
        Res missing = api.post("/v1/accounts/" + account + "/bundles", "{\"plan\":\"" + plan + "\"}");
        assertThat(missing.code()).isEqualTo("parameter_missing");
        assertThat(api.get("/v1/accounts/" + account + "/licenses").json().get("data")).isEmpty();
        assertThat(api.get("/v1/bundles/bndl_nope").status()).isEqualTo(404);
        assertThat(api.post("/v1/bundles/bndl_nope/revoke", null).status()).isEqualTo(404);
    }
}

package tollgate.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.core.Database;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestClocks;
import tollgate.testing.TestServer;

/** Sites' calls are rate-limited per key and per client address, with 429 and Retry-After. */
class SiteRateLimitTest {

    private static Tollgate server(double perKey, double perAddress) {
        Config config = TestServer.config(Database.h2MemoryUrl("ratelimit" + System.nanoTime()), new Config.SiteLimits(perKey, perAddress, 5));
        return Tollgate.build(config, TestClocks.SYSTEM);
    }

    private static ApiClient client(Tollgate app, int port) {
        return new TestServer.Client(app, port).anonymous();
    }

    @Test
    void oneKeyCalledInALoopGets429WithRetryAfter() {
        try (Tollgate app = server(2, 1000)) {
            ApiClient site = client(app, app.start(0));
            int ok = 0;
            Res limited = null;
            for (int i = 0; i < 10 && limited == null; i++) {
                Res r = site.get("/v1/licenses/validate?key=AAAAA-AAAAA-AAAAA-AAAAA-AAAAA&site_url=a.example");
                if (r.status() == 429) limited = r;
                else ok++;
            }
            assertThat(ok).isEqualTo(4); // a burst of twice the rate per second
            assertThat(limited).isNotNull();
            assertThat(limited.code()).isEqualTo("rate_limited");
            assertThat(limited.header("retry-after")).isEqualTo("1");
            // Another key from the same address is not held back by the first key's limit.
            assertThat(site.get("/v1/licenses/validate?key=BBBBB-BBBBB-BBBBB-BBBBB-BBBBB&site_url=a.example").status()).isEqualTo(200);
        }
    }

    @Test
    void oneAddressTryingManyKeysGets429() {
        try (Tollgate app = server(1000, 3)) {
            ApiClient site = client(app, app.start(0));
            int ok = 0;
            for (int i = 0; i < 20; i++) {
                String key = "AAAAA-AAAAA-AAAAA-AAAAA-AAAA" + LicenseKey.ALPHABET.charAt(i);
                Res r = site.post("/v1/licenses/activate", "{\"key\":\"" + key + "\",\"site_url\":\"a.example\"}");
                if (r.status() == 429) {
                    assertThat(r.header("retry-after")).isNotNull();
                    break;
                }
                assertThat(r.status()).isEqualTo(404);
                ok++;
            }
            assertThat(ok).isEqualTo(6);
        }
    }
}

package tollgate.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.core.Database;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestClocks;
import tollgate.testing.TestServer;

/**
 * Issue 15's review of the keyless site calls: one key's limit cannot be dodged by spelling it differently,
 * {@code activate} refuses a throttled caller before reading its body, {@code X-Forwarded-For} counts only from
 * trusted proxies, and IPv6 callers are counted by their /64.
 */
class HostileSiteCallersTest {
    private static final String KEY = "7KQ2M-9XH4C-0RT5W-B8N3P-ZA6VE";

    private static Tollgate server(double perKey, double perAddress, String trustedProxies) {
        Config config = TestServer.config(Database.h2MemoryUrl("hostile" + System.nanoTime()), new Config.SiteLimits(perKey, perAddress, 5))
                .withNetwork(new Config.Network("127.0.0.1", trustedProxies));
        return Tollgate.build(config, TestClocks.SYSTEM);
    }

    private static ApiClient site(Tollgate app) {
        return new TestServer.Client(app, app.start(0)).anonymous();
    }

    private static Res validateFrom(ApiClient site, String forwardedFor, String key) {
        HttpRequest.Builder b = site.request("/v1/licenses/validate?site_url=a.example").header(LicensesApiHeader.NAME, key);
        if (forwardedFor != null) b.header("X-Forwarded-For", forwardedFor);
        return site.send(b.GET());
    }

    @Test
    void everySpellingOfOneKeySharesOneBucket() {
        // One check every 20 s, a burst of one: a slow machine cannot refill the bucket during the ten calls.
        try (Tollgate app = server(0.05, 1000, null)) {
            ApiClient site = site(app);
            List<String> spellings = List.of(KEY, KEY.toLowerCase(), KEY.replace("-", ""), KEY.replace("-", " "),
                    KEY.replace("0", "O"), KEY.replace("1", "l"), KEY.toLowerCase().replace("-", ""), " " + KEY + " ",
                    KEY.replace("-", "--"), KEY.substring(0, 12).toLowerCase() + KEY.substring(12));
            int ok = 0;
            for (String spelling : spellings) {
                Res r = site.get("/v1/licenses/validate?key=" + spelling.replace(" ", "%20") + "&site_url=a.example");
                if (r.status() == 200) ok++;
                else assertThat(r.code()).isEqualTo("rate_limited");
            }
            assertThat(ok).as("one bucket for the key however it is written").isEqualTo(1);
        }
    }

    @Test
    void activateIsThrottledBeforeItsBodyIsRead() {
        try (Tollgate app = server(1000, 1, null)) {
            ApiClient site = site(app);
            for (int i = 0; i < 2; i++) assertThat(site.post("/v1/licenses/activate", "{not json").code()).isEqualTo("malformed_json");
            // Throttled: the answer is 429 although the body is not even JSON; it was never read.
            Res limited = site.post("/v1/licenses/activate", "{not json");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.code()).isEqualTo("rate_limited");
            assertThat(limited.header("retry-after")).isEqualTo("1");
        }
    }

    @Test
    void activateTakesASmallBodyOnly() {
        try (Tollgate app = server(1000, 1000, null)) {
            ApiClient site = site(app);
            String big = "{\"key\":\"" + KEY + "\",\"site_url\":\"a.example\",\"pad\":\"" + "x".repeat(20_000) + "\"}";
            Res r = site.post("/v1/licenses/activate", big);
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.code()).isEqualTo("body_too_large");
            assertThat(site.post("/v1/licenses/validate", big).status()).isEqualTo(413);
        }
    }

    @Test
    void forwardedForCountsOnlyFromTrustedProxies() {
        // Behind a trusted proxy (the tests connect from 127.0.0.1): each client has a bucket of its own.
        try (Tollgate app = server(1000, 1, "127.0.0.1/32")) {
            ApiClient site = site(app);
            assertThat(statuses(site, "198.51.100.1", 3)).containsExactly(200, 200, 429);
            assertThat(statuses(site, "198.51.100.2", 1)).containsExactly(200);
            // What the client wrote left of its own address is not believed: the rightmost untrusted hop counts.
            assertThat(statuses(site, "203.0.113.9, 198.51.100.1", 1)).containsExactly(429);
            // A trusted hop on the right is skipped over.
            assertThat(statuses(site, "198.51.100.1, 127.0.0.1", 1)).containsExactly(429);
            // IPv6 callers are counted by their /64: another address in it is the same caller.
            assertThat(statuses(site, "2001:db8:1:2::1", 2)).containsExactly(200, 200);
            assertThat(statuses(site, "2001:db8:1:2:ffff::7", 1)).containsExactly(429);
            assertThat(statuses(site, "2001:db8:1:3::1", 1)).containsExactly(200);
        }
        // Without trusted proxies the header is the caller's own say-so: every request counts against 127.0.0.1.
        try (Tollgate app = server(1000, 1, null)) {
            ApiClient site = site(app);
            assertThat(statuses(site, "198.51.100.1", 2)).containsExactly(200, 200);
            assertThat(statuses(site, "198.51.100.2", 1)).containsExactly(429);
        }
    }

    private static List<Integer> statuses(ApiClient site, String forwardedFor, int n) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) out.add(validateFrom(site, forwardedFor, KEY).status());
        return out;
    }

    @Test
    void theKeyTravelsInAHeaderOrABodyNotTheUrl() {
        try (Tollgate app = server(1000, 1000, null)) {
            ApiClient site = site(app);
            Res byHeader = validateFrom(site, null, KEY);
            assertThat(byHeader.status()).isEqualTo(200);
            assertThat(byHeader.str("reason")).isEqualTo("not_found");
            Res byBody = site.post("/v1/licenses/validate", "{\"key\":\"" + KEY + "\",\"site_url\":\"a.example\"}");
            assertThat(byBody.status()).isEqualTo(200);
            assertThat(byBody.json().get("valid").asBoolean()).isFalse();
            assertThat(byBody.str("reason")).isEqualTo("not_found");
            Res noKey = site.post("/v1/licenses/validate", "{\"site_url\":\"a.example\"}");
            assertThat(noKey.status()).isEqualTo(422);
            assertThat(noKey.code()).isEqualTo("parameter_missing");
            assertThat(site.get("/v1/licenses/validate?site_url=a.example").code()).isEqualTo("parameter_missing");
            assertThat(site.post("/v1/licenses/validate", "{\"key\":\"" + KEY + "\",\"site_url\":\"a.example\",\"x\":1}",
                    Map.of()).status()).isBetween(400, 422);
        }
    }

    /** The header's name, as sites send it. */
    private static final class LicensesApiHeader {
        static final String NAME = tollgate.api.LicensesApi.KEY_HEADER;
    }
}

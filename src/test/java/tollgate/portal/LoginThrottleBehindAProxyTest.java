package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tollgate.Config;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Issue 13's login throttling per address, behind a proxy: 20 failed sign-ins from one address refuse that address's
 * next attempts (429) for 15 minutes. Behind a trusted proxy ({@code TOLLGATE_TRUSTED_PROXIES}) the address is the
 * browser's as the proxy forwards it, so one visitor's failures do not lock out everyone else behind the proxy; from a
 * caller that is not a trusted proxy, X-Forwarded-For is not believed (else a guesser would name a new address each
 * time). The test client connects from 127.0.0.1 and writes the header, as a proxy would.
 */
class LoginThrottleBehindAProxyTest {
    private static final String PASSWORD = "correct horse battery staple";

    /** Twenty wrong passwords for twenty addresses typed, each from the browser at {@code guesser}; then one from {@code other}. */
    private static int[] guessThenAnother(String trustedProxies) {
        try (TestServer.Client server = TestServer.start(TestDatabase.H2, c -> c.withNetwork(new Config.Network("127.0.0.1", trustedProxies)))) {
            var created = server.app().tenants.create("Proxy tenant", tollgate.tenants.Tenant.Mode.TEST);
            String slug = "throttle-" + Long.toString(System.nanoTime(), 36);
            server.app().tenants.setSlug(created.tenant().id(), slug);
            String base = "http://127.0.0.1:" + server.port() + "/portal/" + slug + "/";
            PortalVisitor owner = new PortalVisitor(base);
            owner.always("X-Forwarded-For", "198.51.100.20");
            owner.signUp("Proxied Ltd", "owner@proxy.example", PASSWORD);

            PortalVisitor guesser = new PortalVisitor(base);
            guesser.always("X-Forwarded-For", "203.0.113.7");
            for (int i = 0; i < 20; i++)
                assertThat(guesser.submit("login", "login", Map.of("email", "nobody" + i + "@proxy.example", "password", "wrong " + PASSWORD))
                        .statusCode()).as("failure %d", i + 1).isEqualTo(422);
            int guesserNext = guesser.submit("login", "login", Map.of("email", "nobody-else@proxy.example", "password", "wrong " + PASSWORD))
                    .statusCode();
            PortalVisitor other = new PortalVisitor(base);
            other.always("X-Forwarded-For", "198.51.100.20");
            int otherNext = other.submit("login", "login", Map.of("email", "owner@proxy.example", "password", PASSWORD)).statusCode();
            return new int[] {guesserNext, otherNext};
        }
    }

    @Test
    void behindATrustedProxyEachBrowsersAddressHasItsOwnCount() {
        int[] answers = guessThenAnother("127.0.0.1");
        assertThat(answers[0]).as("the guessing browser's next attempt").isEqualTo(429);
        assertThat(answers[1]).as("another browser behind the same proxy signs in").isEqualTo(303);
    }

    @Test
    void fromAnUntrustedCallerTheForwardedAddressIsNotBelieved() {
        int[] answers = guessThenAnother("");
        assertThat(answers[0]).isEqualTo(429);
        assertThat(answers[1]).as("the same socket address: refused as well").isEqualTo(429);
    }
}

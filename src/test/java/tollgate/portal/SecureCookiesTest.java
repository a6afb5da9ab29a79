package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tollgate.Config;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * The portal's cookies carry {@code Secure} when the browser spoke https to a proxy Tollgate trusts
 * ({@code TOLLGATE_TRUSTED_PROXIES}) and that proxy says so in {@code X-Forwarded-Proto}; never because an untrusted
 * caller wrote the header itself, and never over plain http (decisions 033 and 054). Over HTTP, reading every
 * Set-Cookie of a visit: the anonymous CSRF cookie, the session at sign-up and at log-in, the flash, the cleared
 * session at log-out. The test client is "the proxy": it connects from 127.0.0.1 and writes the header.
 */
class SecureCookiesTest {
    private static final String PASSWORD = "correct horse battery staple";

    /** Sign up, log out, log in, log out again: every kind of cookie the portal writes, set and cleared. */
    private static PortalVisitor visit(TestServer.Client server, String forwardedProto, String email) {
        var created = server.app().tenants.create("Proxy tenant", tollgate.tenants.Tenant.Mode.TEST);
        String slug = "proxy-" + Long.toString(System.nanoTime(), 36);
        server.app().tenants.setSlug(created.tenant().id(), slug);
        PortalVisitor v = new PortalVisitor("http://127.0.0.1:" + server.port() + "/portal/" + slug + "/");
        if (forwardedProto != null) v.always("X-Forwarded-Proto", forwardedProto);
        v.signUp("Proxied Ltd", email, PASSWORD);
        assertThat(v.get("dashboard").statusCode()).isEqualTo(200);
        assertThat(v.submit("dashboard", "logout", Map.of()).statusCode()).isEqualTo(303);
        assertThat(v.submit("login", "login", Map.of("email", email, "password", PASSWORD)).statusCode()).isEqualTo(303);
        assertThat(v.get("dashboard").statusCode()).isEqualTo(200);
        assertThat(v.submit("dashboard", "logout", Map.of()).statusCode()).isEqualTo(303);

        assertThat(v.setCookiesOf("tg_csrf")).as("the anonymous CSRF cookie").isNotEmpty();
        assertThat(v.setCookiesOf("tg_portal")).as("the session: set at sign-up and log-in, cleared at each log-out").hasSize(4);
        assertThat(v.setCookiesOf("tg_portal").stream().filter(c -> c.contains("Max-Age=0"))).hasSize(2);
        assertThat(v.setCookiesOf("tg_flash")).as("the flash messages").isNotEmpty();
        for (String c : v.setCookies) assertThat(c).contains("; HttpOnly").contains("; SameSite=Lax").contains("; Path=/portal/" + slug + "/");
        return v;
    }

    private static TestServer.Client server(String trustedProxies) {
        return TestServer.start(TestDatabase.H2, c -> c.withNetwork(new Config.Network("127.0.0.1", trustedProxies)));
    }

    @Test
    void behindATrustedProxySpeakingHttpsEveryCookieIsSecure() {
        try (TestServer.Client server = server("127.0.0.1")) {
            PortalVisitor https = visit(server, "https", "tls@proxy.example");
            assertThat(https.setCookies).allSatisfy(c -> assertThat(c).endsWith("; Secure"));

            // The same trusted proxy, but the browser spoke plain http to it (or it did not say): not Secure, which
            // would make the browser drop the cookie on its next http request.
            PortalVisitor http = visit(server, "http", "plain@proxy.example");
            assertThat(http.setCookies).noneSatisfy(c -> assertThat(c).contains("Secure"));
            PortalVisitor unsaid = visit(server, null, "unsaid@proxy.example");
            assertThat(unsaid.setCookies).noneSatisfy(c -> assertThat(c).contains("Secure"));
        }
    }

    @Test
    void xForwardedProtoFromAnAddressThatIsNotATrustedProxyIsIgnored() {
        // Another proxy is trusted; the caller at 127.0.0.1 is not it.
        try (TestServer.Client server = server("10.0.0.0/8, fd00::/8")) {
            PortalVisitor v = visit(server, "https", "forged@proxy.example");
            assertThat(v.setCookies).isNotEmpty().noneSatisfy(c -> assertThat(c).contains("Secure"));
        }
        // No proxy trusted at all (the default): the header means nothing either.
        try (TestServer.Client server = server(null)) {
            PortalVisitor v = visit(server, "https", "nobody@proxy.example");
            assertThat(v.setCookies).isNotEmpty().noneSatisfy(c -> assertThat(c).contains("Secure"));
        }
    }

    @Test
    void theOldYesNoSwitchIsRefusedAtStartSoNobodyQuietlyLosesSecureCookies() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_TRUST_PROXY", "true")))
                .hasMessageContaining("TOLLGATE_TRUSTED_PROXIES");
    }
}

package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** TOLLGATE_TRUSTED_PROXIES and the address buckets of the sites' rate limit. */
class ClientAddressesTest {
    @Test
    void forwardedForIsBelievedFromTrustedProxiesOnly() {
        ClientAddresses proxies = ClientAddresses.parse("10.0.0.0/8, 192.168.1.7, fd00::/8");
        assertThat(proxies.client("10.1.2.3", "198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(proxies.client("192.168.1.7", "198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(proxies.client("fd12::1", "198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(proxies.client("192.168.1.8", "198.51.100.1")).as("not a trusted proxy").isEqualTo("192.168.1.8");
        assertThat(proxies.client("10.1.2.3", "6.6.6.6, 198.51.100.1, 10.9.9.9")).isEqualTo("198.51.100.1");
        assertThat(proxies.client("10.1.2.3", "10.4.4.4, 10.9.9.9")).as("all trusted: the leftmost").isEqualTo("10.4.4.4");
        assertThat(proxies.client("10.1.2.3", "evil.example, 198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(proxies.client("10.1.2.3", "198.51.100.1, not-an-address")).as("garbage stops the walk").isEqualTo("10.1.2.3");
        assertThat(proxies.client("10.1.2.3", null)).isEqualTo("10.1.2.3");
        assertThat(ClientAddresses.NONE.client("10.1.2.3", "198.51.100.1")).isEqualTo("10.1.2.3");
    }

    @Test
    void ipv6CallersAreCountedByTheirSlash64() {
        assertThat(ClientAddresses.bucket("2001:db8:1:2::1")).isEqualTo(ClientAddresses.bucket("2001:db8:1:2:ffff:1:2:3"));
        assertThat(ClientAddresses.bucket("2001:db8:1:2::1")).isNotEqualTo(ClientAddresses.bucket("2001:db8:1:3::1"));
        assertThat(ClientAddresses.bucket("198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(ClientAddresses.bucket("[2001:db8:1:2::9]")).isEqualTo(ClientAddresses.bucket("2001:db8:1:2::1"));
    }

    @Test
    void aMalformedSettingIsRefused() {
        assertThatThrownBy(() -> ClientAddresses.parse("10.0.0.0/33")).hasMessageContaining("TOLLGATE_TRUSTED_PROXIES");
        assertThatThrownBy(() -> ClientAddresses.parse("proxy.example")).hasMessageContaining("TOLLGATE_TRUSTED_PROXIES");
        assertThat(ClientAddresses.parse(" ")).isSameAs(ClientAddresses.NONE);
    }
}

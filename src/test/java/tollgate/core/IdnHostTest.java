package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdnHostTest {
    @Test
    void aNonAsciiHostIsWrittenInItsAsciiFormAndTheRestIsKept() {
        assertThat(IdnHost.toAscii("https://bücher.example/Shop/?q=ä#x")).isEqualTo("https://xn--bcher-kva.example/Shop/?q=ä#x");
        assertThat(IdnHost.toAscii("http://user@müller.example:8443/p")).isEqualTo("http://user@xn--mller-kva.example:8443/p");
        assertThat(IdnHost.toAscii("https://例子.广告")).isEqualTo("https://xn--fsqu00a.xn--4rr70v");
    }

    @Test
    void anAsciiHostOrNoAuthorityIsLeftAlone() {
        assertThat(IdnHost.toAscii("https://Example.com/Ä")).isEqualTo("https://Example.com/Ä");
        assertThat(IdnHost.toAscii("example.com")).isEqualTo("example.com");
        assertThat(IdnHost.toAscii("https://[::1]:8080/")).isEqualTo("https://[::1]:8080/");
    }

    @Test
    void aHostThatIsNoDomainNameIsRefused() {
        assertThatThrownBy(() -> IdnHost.toAscii("https://bü_cher.example/")).isInstanceOf(IllegalArgumentException.class);
    }
}

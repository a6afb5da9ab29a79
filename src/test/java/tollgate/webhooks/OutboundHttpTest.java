package tollgate.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A receiver that hangs, redirects, fails or streams without end costs one attempt a bounded time. */
class OutboundHttpTest {
    private final OutboundHttp courier = new OutboundHttp(Duration.ofMillis(1500));

    /** A raw TCP receiver: reads the request head, then does whatever {@code answer} does with the connection. */
    interface Answer {
        void answer(OutputStream out) throws IOException, InterruptedException;
    }

    private static OutboundHttp.Outcome against(OutboundHttp courier, Answer answer, AtomicInteger requests) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    requests.incrementAndGet();
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[8192];
                    in.read(buf);
                    answer.answer(s.getOutputStream());
                } catch (IOException | InterruptedException e) {
                    // the courier hung up: what we are testing
                }
            });
            OutboundHttp.Outcome o = courier.post("http://127.0.0.1:" + server.getLocalPort() + "/hooks", true, Map.of("Tollgate-Event-Id", "evt_1"),
                    "{}".getBytes(StandardCharsets.UTF_8));
            t.interrupt();
            return o;
        }
    }

    @Test
    void aReceiverThatNeverAnswersTimesOut() throws Exception {
        long start = System.nanoTime();
        OutboundHttp.Outcome o = against(courier, out -> Thread.sleep(60_000), new AtomicInteger());
        assertThat(o.delivered()).isFalse();
        assertThat(o.error()).startsWith("timeout");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1400L, 3000L);
    }

    @Test
    void headersDrippingInNeverEndWithinTheDeadline() throws Exception {
        long start = System.nanoTime();
        OutboundHttp.Outcome o = against(courier, out -> {
            out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 600; i++) {
                out.write("X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(100);
            }
        }, new AtomicInteger());
        assertThat(o.delivered()).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000L);
    }

    @Test
    void anEndlessBodyIsCutAfterItsFirstBytesAndTheStatusCounts() throws Exception {
        long start = System.nanoTime();
        OutboundHttp.Outcome o = against(courier, out -> {
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("400\r\n" + "y".repeat(1024) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            while (true) out.write(chunk);
        }, new AtomicInteger());
        assertThat(o.delivered()).isTrue();
        assertThat(o.response().length()).isEqualTo(OutboundHttp.KEPT_BYTES);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1400L);
    }

    @Test
    void aRedirectIsNotFollowedAndA500Fails() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        OutboundHttp.Outcome moved = against(courier, out -> out.write(
                "HTTP/1.1 301 Moved\r\nLocation: http://169.254.169.254/\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), requests);
        assertThat(moved.delivered()).isFalse();
        assertThat(moved.status()).isEqualTo(301);
        assertThat(requests).hasValue(1);

        OutboundHttp.Outcome failed = against(courier, out -> out.write(
                "HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\nboom".getBytes(StandardCharsets.US_ASCII)), new AtomicInteger());
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.response()).isEqualTo("boom");
    }

    @Test
    void nothingListeningIsAConnectionFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        OutboundHttp.Outcome o = courier.post("http://127.0.0.1:" + port + "/", true, Map.of(), new byte[0]);
        assertThat(o.error()).startsWith("connection_failed");
    }

    @Test
    void aLiveTenantsCourierRefusesPrivateAddressesBeforeConnecting() {
        for (String url : new String[] {"https://10.0.0.1/", "https://169.254.169.254/", "https://[::1]/", "http://93.184.216.34/"}) {
            OutboundHttp.Outcome o = courier.post(url, false, Map.of(), new byte[0]);
            assertThat(o.delivered()).isFalse();
            assertThat(o.error()).as(url).matches("(url_address_refused|url_not_https):.*");
        }
    }
}

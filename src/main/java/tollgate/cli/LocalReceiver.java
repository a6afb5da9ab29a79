package tollgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmarks' webhook receiver on loopback: reads each request and answers 204 at once, one virtual thread per
 * connection. It is as cheap as a receiver can be, so that what is measured is Tollgate's side.
 */
final class LocalReceiver implements AutoCloseable {
    private static final byte[] ANSWER = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    final AtomicLong received = new AtomicLong();
    private final ServerSocket server;
    private final Thread acceptor;

    LocalReceiver() throws IOException {
        server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().name("bench-receiver").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> answer(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/hooks";
    }

    private void answer(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16384];
            int n = 0, body = -1;
            long length = 0;
            while (body < 0 || n - body < length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0 || (n += r) == buf.length) break;
                if (body < 0 && (body = headEnd(buf, n)) >= 0) length = contentLength(buf, body);
            }
            s.getOutputStream().write(ANSWER);
            received.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            // a benchmark receiver: a broken connection is the sender's to count
        }
    }

    private static int headEnd(byte[] b, int n) {
        for (int i = 3; i < n; i++) if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') return i + 1;
        return -1;
    }

    /** The Content-Length header's value (the courier always sends one). */
    private static long contentLength(byte[] b, int headEnd) {
        String head = new String(b, 0, headEnd, StandardCharsets.ISO_8859_1);
        int at = head.indexOf("Content-Length:");
        return at < 0 ? 0 : Long.parseLong(head.substring(at + 15, head.indexOf('\r', at)).trim());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

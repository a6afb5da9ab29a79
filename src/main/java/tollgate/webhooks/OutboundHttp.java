package tollgate.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Posts one webhook: a small HTTP/1.1 client of its own rather than the JDK's, because it must connect to the very
 * address it checked ({@link Destinations}; the JDK client resolves the name again, which DNS rebinding exploits) and
 * must bound everything a receiver can drag out: the whole call ends by its deadline (connect, TLS, writing, waiting for
 * and reading the answer), no redirect is followed, and of the answer only the status line, at most 16 KiB of headers
 * and the first {@link #KEPT_BYTES} bytes of the body are read before the connection is closed.
 */
public final class OutboundHttp {
    public static final int KEPT_BYTES = 512;
    private static final int MAX_HEAD = 16 * 1024;

    private final long timeoutMillis;

    public OutboundHttp(java.time.Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
    }

    /** What one attempt gave: the HTTP status (0 without one), latency, the first bytes of the answer or the error. */
    public record Outcome(int status, int latencyMillis, String response, String error) {
        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    public Outcome post(String url, boolean testMode, Map<String, String> headers, byte[] body) {
        long start = System.nanoTime();
        long deadline = start + timeoutMillis * 1_000_000L;
        try {
            URI uri = Destinations.parse(url, testMode);
            List<InetAddress> addresses = Destinations.addresses(uri, testMode);
            boolean tls = uri.getScheme().equalsIgnoreCase("https");
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            try (Socket socket = open(uri, addresses.getFirst(), port, tls, deadline)) {
                OutputStream out = socket.getOutputStream();
                out.write(request(uri, port, tls, headers, body.length));
                out.write(body);
                out.flush();
                return read(socket, deadline, start);
            }
        } catch (Destinations.Refused e) {
            return new Outcome(0, elapsed(start), null, e.code + ": " + e.getMessage());
        } catch (SocketTimeoutException e) {
            return new Outcome(0, elapsed(start), null, "timeout: no answer within " + timeoutMillis / 1000 + " s");
        } catch (IOException e) {
            return new Outcome(0, elapsed(start), null, "connection_failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private Socket open(URI uri, InetAddress address, int port, boolean tls, long deadline) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(address, port), remaining(deadline));
            plain.setSoTimeout(remaining(deadline));
            plain.setTcpNoDelay(true);
            if (!tls) return plain;
            SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, uri.getHost(), port, true);
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (!Character.isDigit(uri.getHost().charAt(uri.getHost().length() - 1)) && !uri.getHost().startsWith("["))
                params.setServerNames(List.of(new SNIHostName(uri.getHost())));
            ssl.setSSLParameters(params);
            ssl.startHandshake();
            return ssl;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static byte[] request(URI uri, int port, boolean tls, Map<String, String> headers, int length) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
        boolean defaultPort = port == (tls ? 443 : 80);
        StringBuilder r = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        if (!defaultPort) r.append(':').append(port);
        r.append("\r\nUser-Agent: Tollgate-Webhooks/1\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ")
                .append(length).append("\r\nConnection: close\r\n");
        headers.forEach((k, v) -> r.append(k).append(": ").append(v).append("\r\n"));
        return r.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The status line and headers (bounded), then up to {@link #KEPT_BYTES} of the body; every read within the deadline. */
    private Outcome read(Socket socket, long deadline, long start) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] head = new byte[MAX_HEAD];
        int n = 0, end = -1;
        while (end < 0) {
            if (n == head.length) return new Outcome(0, elapsed(start), null, "answer_invalid: headers longer than 16 KiB");
            socket.setSoTimeout(remaining(deadline));
            int r = in.read(head, n, head.length - n);
            if (r < 0) break;
            n += r;
            end = headEnd(head, n);
        }
        String text = new String(head, 0, end < 0 ? n : end, StandardCharsets.ISO_8859_1);
        int status = status(text);
        if (status == 0) return new Outcome(0, elapsed(start), null, "answer_invalid: no HTTP status line");
        int latency = elapsed(start);
        byte[] kept = new byte[KEPT_BYTES];
        int k = 0;
        if (end >= 0) {
            k = Math.min(KEPT_BYTES, n - end - 4);
            System.arraycopy(head, end + 4, kept, 0, k);
            try {
                // The rest of the kept bytes, if they come before the deadline; a receiver streaming without end stops here.
                long length = status == 204 ? 0 : contentLength(text);
                while (k < KEPT_BYTES && (length < 0 || k < length)) {
                    socket.setSoTimeout(remaining(deadline));
                    int r = in.read(kept, k, KEPT_BYTES - k);
                    if (r < 0) break;
                    k += r;
                }
            } catch (SocketTimeoutException e) {
                // the status counts; what did not come in time is not kept
            }
        }
        return new Outcome(status, latency, new String(kept, 0, k, StandardCharsets.UTF_8), null);
    }

    /** The Content-Length header's value, or -1 without one (chunked, or read to the end). */
    private static long contentLength(String head) {
        String lower = head.toLowerCase(Locale.ROOT);
        int at = lower.indexOf("\r\ncontent-length:");
        if (at < 0) return -1;
        int end = lower.indexOf('\r', at + 2);
        try {
            return Long.parseLong(lower.substring(at + 17, end < 0 ? lower.length() : end).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int headEnd(byte[] b, int n) {
        for (int i = 0; i + 3 < n; i++) if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i;
        return -1;
    }

    private static int status(String head) {
        if (!head.startsWith("HTTP/1.") || head.length() < 12) return 0;
        try {
            int s = Integer.parseInt(head.substring(9, 12));
            return s >= 100 && s <= 999 ? s : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int remaining(long deadline) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000L;
        if (ms <= 0) throw new SocketTimeoutException("deadline passed");
        return (int) ms;
    }

    private static int elapsed(long start) {
        return (int) ((System.nanoTime() - start) / 1_000_000L);
    }
}

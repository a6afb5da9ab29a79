package tollgate.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A load generator's HTTP/1.1 client, as wrk or hey are: one kept-alive connection per benchmark client, a request
 * written in one go and its answer read blocking on the same thread. {@code java.net.http} hands every exchange between
 * a selector thread and an executor: 13 % of the JVM's samples in a licenses-only run (decision 066, docs/BENCHMARKS.md
 * "Stop 24"); a benchmark that shares its cores with the server should spend them on the server.
 * Reads {@code Content-Length} and chunked answers; not thread-safe (one per client thread). {@link #read} is also the
 * tests' open-loop load's reader of answers.
 */
public final class LoopbackClient implements AutoCloseable {
    /** An answer: its status, its body as text, its {@code Retry-After}, and whether the server closes the connection after it. */
    public record Answer(int status, String body, String retryAfter, boolean closes) {}

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int connections;

    LoopbackClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * POSTs a JSON body with the given headers on the kept-alive connection (opened on first use, and again after an
     * answer that closed it). Never re-sent: a POST that may have been run is the caller's to retry.
     */
    Answer post(String path, String body, Map<String, String> headers) throws IOException {
        if (socket == null) connect();
        try {
            out.write(request("POST", path, body.getBytes(StandardCharsets.UTF_8), headers));
            out.flush();
            return read();
        } catch (IOException e) {
            close(); // what is left unread on it belongs to no request
            throw e;
        }
    }

    /** Connections this client opened: one unless the server closed some. */
    int connections() {
        return connections;
    }

    private void connect() throws IOException {
        connections++;
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    private byte[] request(String method, String path, byte[] body, Map<String, String> headers) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append(':').append(port).append("\r\nContent-Length: ").append(body.length).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private Answer read() throws IOException {
        Answer answer = read(in);
        if (answer.closes()) close();
        return answer;
    }

    /**
     * Reads one HTTP/1.1 answer from {@code in}. End of stream before its first byte is an {@link EOFException} "closed
     * before an answer"; later, "closed in an answer" (a body shorter than its {@code Content-Length} too).
     */
    public static Answer read(InputStream in) throws IOException {
        String status = line(in, true);
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) throw new IOException("not an HTTP/1.1 answer: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closes = false;
        String retryAfter = null;
        for (String line = line(in, false); !line.isEmpty(); line = line(in, false)) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closes = value.toLowerCase(Locale.ROOT).contains("close");
                case "retry-after" -> retryAfter = value;
                default -> { }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size; (size = Integer.parseInt(line(in, false).split(";", 2)[0].trim(), 16)) > 0; ) {
                body.write(exactly(in, size));
                line(in, false);
            }
            while (!line(in, false).isEmpty()) { } // trailers
        } else if (length >= 0) {
            body.write(exactly(in, (int) length));
        } else {
            body.write(in.readAllBytes());
            closes = true;
        }
        return new Answer(code, body.toString(StandardCharsets.UTF_8), retryAfter, closes);
    }

    private static byte[] exactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) throw new EOFException("closed in an answer: its body was cut short");
        return b;
    }

    /** One line without its CRLF; {@code first}: end of stream before any byte is the server closing without an answer. */
    private static String line(InputStream in, boolean first) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new EOFException(first && line.isEmpty() ? "closed before an answer" : "closed in an answer");
            if (b != '\r') line.append((char) b);
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a loopback socket we are done with
        }
        socket = null;
    }
}

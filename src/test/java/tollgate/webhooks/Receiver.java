package tollgate.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver in the test JVM: answers with the status it is told, and checks each request's signature with
 * an implementation of its own (javax.crypto, written apart from the server's), as a tenant's receiver would.
 */
final class Receiver implements AutoCloseable {
    record Hook(String eventId, String signature, String body, boolean signatureValid) {}

    final List<Hook> hooks = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);
    volatile String secret;
    /** Whether t must be within five minutes of the tests' clock (the CLI signs with the machine's own clock). */
    volatile boolean checkAge = true;
    private final HttpServer server;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String signature = exchange.getRequestHeaders().getFirst("Tollgate-Signature");
            hooks.add(new Hook(exchange.getRequestHeaders().getFirst("Tollgate-Event-Id"), signature, body, verify(signature, body)));
            byte[] answer = ("{\"received\":true,\"status\":" + status.get() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** Stripe's check: t and one v1 of "t.body" under the secret, within five minutes of our clock. */
    private boolean verify(String header, String body) {
        if (header == null || secret == null) return false;
        String t = null;
        List<String> v1 = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv[0].equals("t")) t = kv[1];
            if (kv[0].equals("v1")) v1.add(kv[1]);
        }
        if (t == null) return false;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) hex.append(String.format("%02x", b));
            long age = Math.abs(tollgate.testing.TestClocks.now().getEpochSecond() - Long.parseLong(t));
            return (!checkAge || age < 300) && v1.stream().anyMatch(s -> java.security.MessageDigest.isEqual(
                    s.getBytes(StandardCharsets.US_ASCII), hex.toString().getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.core.Json;
import tollgate.webhooks.Signature;

/** {@code tollgate webhooks listen}: a test tenant's events, signed, forwarded to a server on the developer's machine. */
@Command(name = "webhooks", description = "Webhook tools.", subcommands = WebhooksCommand.Listen.class)
final class WebhooksCommand {
    private WebhooksCommand() {}

    /**
     * Polls {@code GET /v1/events} (Tollgate cannot reach a laptop, so nothing is pushed to this command) and POSTs each
     * new event to {@code --forward-to}, signed as a webhook endpoint would sign it, with a secret of its own printed at
     * the start. It is a development loop: events seen while it runs are forwarded once each, oldest first; what happens
     * while it is stopped is not caught up, and an answer is only printed, never retried.
     */
    @Command(name = "listen", description = "Forward a test tenant's events, signed, to a local server (like `stripe listen`).")
    static final class Listen implements Callable<Integer> {
        private static final int PAGE = 100;
        private static final int MAX_PAGES = 10;
        private static final int REMEMBERED = 20_000;

        @Option(names = "--forward-to", required = true, description = "Where to POST each event, e.g. http://localhost:3000/hooks")
        URI forwardTo;

        @Option(names = "--api-key", description = "A test secret key (tg_test_…); default $TOLLGATE_API_KEY")
        String apiKey;

        @Option(names = "--api-base", defaultValue = "http://localhost:8080", description = "The Tollgate server (default ${DEFAULT-VALUE})")
        URI apiBase;

        @Option(names = "--events", split = ",", description = "Only these event types (comma-separated); default all")
        Set<String> types;

        @Option(names = "--secret", description = "Sign with this whsec_ secret instead of a new one")
        String secret;

        @Option(names = "--interval-ms", defaultValue = "500", description = "How often to ask for new events (default ${DEFAULT-VALUE})")
        long intervalMillis;

        @Option(names = "--max-events", hidden = true, description = "Stop after forwarding this many (for tests)")
        int maxEvents;

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final LinkedHashSet<String> seen = new LinkedHashSet<>();

        @Override
        public Integer call() throws Exception {
            String key = apiKey != null ? apiKey : Cli.env("TOLLGATE_API_KEY");
            if (key == null || key.isBlank()) throw new IllegalArgumentException("give --api-key (a tg_test_ key) or set TOLLGATE_API_KEY");
            if (!key.startsWith("tg_test_")) throw new IllegalArgumentException("listen forwards a test tenant's events: use a tg_test_ key");
            String signing = secret != null ? secret : newSecret();
            for (JsonNode e : page(key, null)) remember(e.get("id").asText()); // what happened before is not forwarded
            System.out.println("Ready. Forwarding events to " + forwardTo + " — your webhook signing secret is " + signing + " (^C to quit)");
            System.out.flush();
            int forwarded = 0;
            while (maxEvents == 0 || forwarded < maxEvents) {
                for (JsonNode event : fresh(key)) {
                    if (types != null && !types.contains(event.get("type").asText())) continue;
                    forward(event, signing);
                    forwarded++;
                }
                Thread.sleep(intervalMillis);
            }
            return 0;
        }

        /** Events not seen before, oldest first: newest-first pages until one holds an event already seen. */
        private List<JsonNode> fresh(String key) throws IOException, InterruptedException {
            List<JsonNode> found = new ArrayList<>();
            String after = null;
            for (int p = 0; p < MAX_PAGES; p++) {
                List<JsonNode> page = page(key, after);
                boolean reachedSeen = false;
                for (JsonNode e : page) {
                    if (seen.contains(e.get("id").asText())) reachedSeen = true;
                    else found.add(e);
                }
                if (reachedSeen || page.size() < PAGE) break;
                after = page.getLast().get("id").asText();
            }
            Collections.reverse(found);
            for (JsonNode e : found) remember(e.get("id").asText());
            return found;
        }

        private List<JsonNode> page(String key, String startingAfter) throws IOException, InterruptedException {
            String query = "/v1/events?limit=" + PAGE + (startingAfter == null ? "" : "&starting_after=" + startingAfter);
            HttpResponse<String> r;
            try {
                r = http.send(HttpRequest.newBuilder(apiBase.resolve(query)).header("Authorization", "Bearer " + key)
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                throw new IllegalStateException("no Tollgate answers at " + apiBase + ": is it running there? (--api-base says where)", e);
            }
            if (r.statusCode() != 200) throw new IllegalStateException("GET /v1/events answered " + r.statusCode() + ": " + r.body());
            List<JsonNode> events = new ArrayList<>();
            Json.MAPPER.readTree(r.body()).get("data").forEach(events::add);
            return events;
        }

        private void forward(JsonNode event, String signing) throws InterruptedException {
            byte[] body = Json.writeUtf8(event);
            long t = Clock.systemUTC().instant().getEpochSecond(); // the receiver compares it with its own clock
            HttpRequest request = HttpRequest.newBuilder(forwardTo).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header(Signature.HEADER, Signature.header(t, body, List.of(signing)))
                    .header("Tollgate-Event-Id", event.get("id").asText())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            String outcome;
            try {
                outcome = String.valueOf(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
            } catch (IOException e) {
                outcome = "failed (" + e.getClass().getSimpleName() + ")";
            }
            System.out.println(event.get("created_at").asText() + "  " + event.get("type").asText() + "  " + event.get("id").asText()
                    + "  → " + outcome);
            System.out.flush();
        }

        private void remember(String id) {
            seen.add(id);
            if (seen.size() > REMEMBERED) seen.remove(seen.getFirst());
        }

        private static String newSecret() {
            byte[] b = new byte[24];
            new SecureRandom().nextBytes(b);
            return "whsec_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }
    }
}

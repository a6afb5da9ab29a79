package tollgate.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Requests sent at the same moment, for the tests of requests run together (decisions 068, 069). */
public final class AtOnce {
    private AtOnce() {}

    /**
     * Sends {@code requests} from {@code threads} threads released together for each round (thread t sends requests t,
     * t + threads, …); the answers in the requests' order.
     */
    public static <R, A> List<A> send(int threads, List<R> requests, Function<R, A> send) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<List<A>>> sent = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                sent.add(pool.submit(() -> {
                    List<A> answers = new ArrayList<>();
                    for (int i = first; i < requests.size(); i += threads) {
                        start.await();
                        answers.add(send.apply(requests.get(i)));
                    }
                    return answers;
                }));
            }
            List<List<A>> byThread = new ArrayList<>();
            for (Future<List<A>> f : sent) byThread.add(f.get());
            List<A> answers = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) answers.add(byThread.get(i % threads).get(i / threads));
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many batches the server has run, and how many requests they held ({@code /metrics}). */
    public static long[] batches(TestServer server) {
        String text = server.anonymous().get("/metrics").text();
        return new long[] {metric(text, "http_server_requests_together_count"), metric(text, "http_server_requests_together_sum")};
    }

    private static long metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.E+]+)$").matcher(text);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}

package tollgate.core;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work run on another thread, with what it threw thrown here as it was. */
public final class Futures {
    private Futures() {}

    /** The answer of {@code work}; its RuntimeException or Error rethrown unwrapped (a database gone away still answers 503). */
    public static <T> T result(Future<T> work) {
        try {
            return work.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for work on another thread", e);
        }
    }
}

package tollgate.core;

/** One name's tokens for a {@link RateLimiter}. Mutable: its limiter guards it (a map's per-entry lock or its monitor). */
final class TokenBucket {
    private double tokens;
    private long at;

    TokenBucket(double tokens, long at) {
        this.tokens = tokens;
        this.at = at;
    }

    /**
     * Refills for the time since the last take and takes a token: 0 when allowed, else the whole seconds to wait.
     * Requests racing for one bucket may reach it in another order than they read the clock (a thread descheduled
     * between the two, which a loaded machine does for seconds): an earlier {@code now} adds nothing and takes nothing
     * back. Before, it refilled by a negative time, and at 100,000 a second one thread late by a few milliseconds
     * emptied a bucket that was full (429s at 1,000 requests/s, decision 057).
     */
    long take(long now, double perSecond, double burst) {
        if (now > at) {
            tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
            at = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }
}

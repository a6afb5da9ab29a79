package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 070: an authenticated POST keeps its {@code Idempotency-Key}'s answer in the work's own transaction
 * ({@link Route#inOneTransaction} or {@link Route#together}) unless it is listed here with the reason it cannot. A route
 * added later fails here until it opts in, or is added to the list after a look at why it must not (a call outside the
 * database, work that needs a commit before it ends, a failed statement it catches and writes past).
 */
class WritesInOneTransactionTest {
    /** The POSTs left with three transactions, and why (decision 070's "Left with three transactions"). */
    private static final Map<String, String> THREE_TRANSACTIONS = Map.of(
            "/v1/invoices/{id}/pay", "asks the gateway after committing the pending attempt (decisions 012, 043)",
            "/v1/invoices/{id}/credit_notes", "a refund asks the gateway after committing the pending refund",
            "/v1/accounts/{id}/payment_methods", "asks the gateway to describe the card",
            "/v1/tenant", "checks Stripe keys with Stripe",
            "/v1/webhook_endpoints", "resolves the URL's host",
            "/v1/webhook_endpoints/{id}", "resolves the URL's host",
            "/v1/test_clock/advance", "runs the tenant's due work, charges included, in transactions of its own");

    @Test
    void everyAuthenticatedPostKeepsItsAnswerWithItsWorkOrIsListedWithItsReason() {
        List<Route> routes = TestServer.on(TestDatabase.H2).app.routes;
        TreeSet<String> threeTransactions = new TreeSet<>();
        for (Route r : routes) {
            if (r.method() != Route.Method.POST || !r.authenticated() || r.inOne()) continue;
            threeTransactions.add(r.path());
        }
        assertThat(threeTransactions).as("authenticated POSTs not in one transaction").isEqualTo(new TreeSet<>(THREE_TRANSACTIONS.keySet()));
    }
}

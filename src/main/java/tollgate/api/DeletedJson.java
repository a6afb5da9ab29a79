package tollgate.api;

/**
 * The answer to a deletion, as Stripe answers one: which resource went ({@code object} names its kind, which the
 * route knows). Invoices and invoice items, API keys and webhook endpoints answer this.
 */
public record DeletedJson(String id, String object, boolean deleted) {
    static DeletedJson of(String object, String id) {
        return new DeletedJson(id, object, true);
    }
}

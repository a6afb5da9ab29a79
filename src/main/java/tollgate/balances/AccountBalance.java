package tollgate.balances;

import tollgate.core.Problem;

/**
 * The rules of an account's credit balance (decision 021). The balance is signed as Stripe's: negative is credit the
 * account holds. Tollgate keeps credit only: nothing may make a balance positive (a debt belongs on an invoice).
 */
public final class AccountBalance {
    /** The most credit one change may carry: the invoice line cap, so no sum of a few of them passes a {@code long}. */
    public static final long MAX_CHANGE = 100_000_000_000_000L;

    private AccountBalance() {}

    /** How much of {@code due} a balance of {@code balance} pays at issue: the credit held, at most what is due. */
    public static long applicable(long balance, long due) {
        return balance >= 0 || due <= 0 ? 0 : Math.min(-balance, due);
    }

    /**
     * The balance after an adjustment of {@code amount} in {@code currency} on an account in {@code accountCurrency}
     * holding {@code balance}: refused (422 naming the field) in another currency, for 0 or more than {@link #MAX_CHANGE},
     * and when it would take away more credit than the account holds.
     */
    public static long adjusted(long balance, String accountCurrency, long amount, String currency) {
        if (!accountCurrency.equals(currency))
            throw Problem.invalid("currency", "currency_mismatch",
                    "The account's balance is in " + accountCurrency + "; an adjustment in " + currency + " cannot change it");
        if (amount == 0 || Math.abs(amount) > MAX_CHANGE)
            throw Problem.invalid("amount", "parameter_invalid",
                    "'amount' must be non-zero and at most " + MAX_CHANGE + " either way (negative adds credit)");
        long after = balance + amount;
        if (after > 0)
            throw Problem.invalid("amount", "balance_insufficient",
                    "The account holds a credit of " + -balance + "; an adjustment may take away at most that much");
        return after;
    }
}

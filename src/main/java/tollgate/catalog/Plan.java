package tollgate.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A priced offer of the tenant's catalog, in one currency (lower-case ISO 4217). Amounts are minor units. Which
 * price fields are set depends on {@link #type()}; the others are null ({@link PlanRules} keeps them apart):
 * {@code amount} for license (per license per month), flat and seats (the base); {@code includedSeats} and
 * {@code seatAmount} for seats; {@code unitAmount} or {@code tiers} (graduated) for usage.
 */
public record Plan(String id, String name, PlanType type, String currency, Long amount,
                   BillingInterval interval, Integer includedSeats, Long seatAmount, Long unitAmount, List<Tier> tiers,
                   int trialDays, String dunningPolicy, java.util.Map<String, String> metadata, Instant createdAt,
                   String seatsFrom) {
    /** {@code seats_from} of a seats plan whose seats are the account's active portal users (SPEC §9, decision 039). */
    public static final String PORTAL_USERS = "portal_users";

    public Plan {
        tiers = tiers == null ? null : List.copyOf(tiers);
        metadata = metadata == null ? java.util.Map.of() : metadata;
    }

    /** The same plan with other metadata (the only thing of a plan that changes: prices are fixed once offered). */
    public Plan withMetadata(java.util.Map<String, String> newMetadata) {
        return new Plan(id, name, type, currency, amount, interval, includedSeats, seatAmount, unitAmount, tiers, trialDays,
                dunningPolicy, newMetadata, createdAt, seatsFrom);
    }

    /** Whether the subscription's seats follow the account's active portal users rather than the API's {@code seats}. */
    public boolean seatsFollowPortalUsers() {
        return PORTAL_USERS.equals(seatsFrom);
    }

    public Plan(String id, String name, PlanType type, String currency, Long amount, BillingInterval interval,
                Integer includedSeats, Long seatAmount, Long unitAmount, List<Tier> tiers, int trialDays,
                String dunningPolicy, java.util.Map<String, String> metadata, Instant createdAt) {
        this(id, name, type, currency, amount, interval, includedSeats, seatAmount, unitAmount, tiers,
                trialDays, dunningPolicy, metadata, createdAt, null);
    }

    public Plan(String id, String name, PlanType type, String currency, Long amount, BillingInterval interval,
                Integer includedSeats, Long seatAmount, Long unitAmount, List<Tier> tiers, int trialDays,
                String dunningPolicy, Instant createdAt) {
        this(id, name, type, currency, amount, interval, includedSeats, seatAmount, unitAmount, tiers,
                trialDays, dunningPolicy, java.util.Map.of(), createdAt, null);
    }
}

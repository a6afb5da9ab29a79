package tollgate.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import tollgate.catalog.PlanDraft.TierDraft;
import tollgate.core.Currencies;
import tollgate.core.Ids;
import tollgate.core.Problem;

/**
 * The rules for a new plan (SPEC §2): each type names the price fields it needs, and a field that does not
 * apply to the type is refused rather than ignored, so a plan never carries a price that nothing bills.
 */
public final class PlanRules {
    public static final int MAX_TRIAL_DAYS = 730;
    public static final int MAX_TIERS = 100;
    /**
     * The most any price may be, in minor units: Stripe's limit for most currencies (eight digits, $999,999.99).
     * With the caps on seats and on usage per line it keeps every invoice line and total far inside a {@code long}
     * (docs/decisions/005-catalog.md works it out), so billing arithmetic cannot overflow on a caller's numbers.
     */
    public static final long MAX_AMOUNT = 99_999_999L;
    /** More seats than any real team has; a plan includes at most as many as a subscription may have. */
    public static final int MAX_SEATS = 1_000_000;

    private static final Map<PlanType, Set<String>> PRICE_FIELDS = Map.of(
            PlanType.LICENSE, Set.of("amount"),
            PlanType.FLAT, Set.of("amount"),
            PlanType.SEATS, Set.of("amount", "included_seats", "seat_amount"),
            PlanType.USAGE, Set.of("unit_amount", "tiers"));

    private PlanRules() {}

    /**
     * {@code policyKnown} answers whether a {@code dunning_policy} names a policy the tenant may choose (a built-in
     * name or one of its own policies' ids); the dunning capability knows, the catalog only asks.
     */
    public static Plan define(PlanDraft d, Instant now, Predicate<String> policyKnown) {
        String name = requireName(d.name());
        PlanType type = type(d.type());
        String currency = Currencies.code(d.currency());
        refuseFieldsOtherTypesUse(type, d);
        BillingInterval interval = interval(type, d.interval());

        switch (type) {
            case LICENSE, FLAT -> require("amount", d.amount());
            case SEATS -> {
                require("amount", d.amount());
                require("included_seats", d.includedSeats());
                require("seat_amount", d.seatAmount());
            }
            case USAGE -> {
                if (d.unitAmount() != null && d.tiers() != null)
                    throw new Problem(422, "parameters_exclusive", "Give either 'unit_amount' or 'tiers', not both", "tiers");
                if (d.unitAmount() == null && d.tiers() == null)
                    throw Problem.invalid("unit_amount", "parameter_missing", "A usage plan needs 'unit_amount' or 'tiers'");
            }
        }
        price("amount", d.amount());
        if (d.includedSeats() != null && (d.includedSeats() < 0 || d.includedSeats() > MAX_SEATS))
            throw Problem.invalid("included_seats", "parameter_invalid", "'included_seats' must be between 0 and " + MAX_SEATS);
        price("seat_amount", d.seatAmount());
        price("unit_amount", d.unitAmount());
        List<Tier> tiers = d.tiers() == null ? null : tiers(d.tiers());

        int trialDays = d.trialDays() == null ? 0 : d.trialDays();
        if (trialDays < 0 || trialDays > MAX_TRIAL_DAYS)
            throw Problem.invalid("trial_days", "parameter_invalid", "'trial_days' must be between 0 and " + MAX_TRIAL_DAYS);
        if (d.dunningPolicy() != null && !policyKnown.test(d.dunningPolicy()))
            throw Problem.invalid("dunning_policy", "dunning_policy_unknown", "'" + d.dunningPolicy()
                    + "' is not a dunning policy of yours; give a policy id or a built-in: licenses_default, hosting_default");

        return new Plan(Ids.next("plan"), name, type, currency, d.amount(), interval, d.includedSeats(), d.seatAmount(),
                d.unitAmount(), tiers, trialDays, d.dunningPolicy(), Map.of(), now, seatsFrom(type, d.seatsFrom()));
    }

    /** {@code seats_from}: left out, the API sets a subscription's seats; {@code portal_users} only on a seats plan. */
    private static String seatsFrom(PlanType type, String seatsFrom) {
        if (seatsFrom == null) return null;
        if (type != PlanType.SEATS)
            throw notApplicable("seats_from", "'seats_from' applies to seats plans only, not to a " + type.wire() + " plan");
        if (!Plan.PORTAL_USERS.equals(seatsFrom))
            throw Problem.invalid("seats_from", "parameter_invalid",
                    "'seats_from' must be portal_users (or left out: the subscription's seats are then set through the API)");
        return seatsFrom;
    }

    private static String requireName(String name) {
        if (name == null) throw Problem.missing("name");
        if (name.isBlank()) throw Problem.invalid("name", "parameter_invalid", "'name' must not be blank");
        if (name.length() > 200) throw Problem.invalid("name", "parameter_invalid", "'name' is longer than 200 characters");
        return name.strip();
    }

    private static PlanType type(String type) {
        if (type == null) throw Problem.missing("type");
        return PlanType.fromWire(type).orElseThrow(() -> Problem.invalid("type", "parameter_invalid",
                "'type' must be one of license, flat, seats, usage"));
    }

    private static void refuseFieldsOtherTypesUse(PlanType type, PlanDraft d) {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("amount", d.amount());
        given.put("included_seats", d.includedSeats());
        given.put("seat_amount", d.seatAmount());
        given.put("unit_amount", d.unitAmount());
        given.put("tiers", d.tiers());
        Set<String> applicable = PRICE_FIELDS.get(type);
        given.forEach((field, value) -> {
            if (value != null && !applicable.contains(field))
                throw notApplicable(field, "'" + field + "' does not apply to a " + type.wire() + " plan");
        });
    }

    /** License plans bill calendar months and usage plans monthly cycles; only flat and seats plans may be yearly. */
    private static BillingInterval interval(PlanType type, String wire) {
        if (wire == null) return BillingInterval.MONTH;
        BillingInterval interval = BillingInterval.fromWire(wire).orElseThrow(() ->
                Problem.invalid("interval", "parameter_invalid", "'interval' must be month or year"));
        if (interval == BillingInterval.YEAR && (type == PlanType.LICENSE || type == PlanType.USAGE))
            throw notApplicable("interval", "A " + type.wire() + " plan bills monthly; 'interval' year applies to flat and seats plans");
        return interval;
    }

    /**
     * Graduated tiers: at least one; every {@code up_to} a positive integer greater than the one before, except
     * the last, which must be null (no upper bound), so every quantity falls in exactly one tier.
     */
    private static List<Tier> tiers(List<TierDraft> drafts) {
        if (drafts.isEmpty()) throw Problem.invalid("tiers", "tiers_invalid", "'tiers' needs at least one tier");
        if (drafts.size() > MAX_TIERS)
            throw Problem.invalid("tiers", "tiers_invalid", "'tiers' may have at most " + MAX_TIERS + " tiers");
        List<Tier> tiers = new ArrayList<>(drafts.size());
        long previousUpTo = 0;
        for (int i = 0; i < drafts.size(); i++) {
            TierDraft t = drafts.get(i);
            String at = "tiers[" + i + "].";
            boolean last = i == drafts.size() - 1;
            if (last && t.upTo() != null)
                throw Problem.invalid(at + "up_to", "tiers_invalid", "The last tier's 'up_to' must be null (no upper bound)");
            if (!last && t.upTo() == null)
                throw Problem.invalid(at + "up_to", "tiers_invalid", "Only the last tier may have 'up_to' null");
            if (t.upTo() != null) {
                if (t.upTo() <= previousUpTo)
                    throw Problem.invalid(at + "up_to", "tiers_invalid", i == 0
                            ? "'up_to' must be a positive integer"
                            : "'up_to' must be greater than the previous tier's (" + previousUpTo + ")");
                previousUpTo = t.upTo();
            }
            require(at + "unit_amount", t.unitAmount());
            price(at + "unit_amount", t.unitAmount());
            price(at + "flat_amount", t.flatAmount());
            tiers.add(new Tier(t.upTo(), t.unitAmount(), t.flatAmount() == null ? 0 : t.flatAmount()));
        }
        return tiers;
    }

    private static void require(String field, Object value) {
        if (value == null) throw Problem.missing(field);
    }

    /** A price given: 0 to {@link #MAX_AMOUNT} minor units. */
    private static void price(String field, Long value) {
        if (value == null) return;
        if (value < 0) throw Problem.invalid(field, "parameter_invalid", "'" + field + "' must not be negative");
        if (value > MAX_AMOUNT) throw amountTooLarge(field);
    }

    /** 422 {@code amount_too_large} (Stripe's code): a price above {@link #MAX_AMOUNT}. */
    static Problem amountTooLarge(String field) {
        return Problem.invalid(field, "amount_too_large", "'" + field + "' must be at most " + MAX_AMOUNT + " (minor units)");
    }

    private static Problem notApplicable(String field, String detail) {
        return Problem.invalid(field, "parameter_not_applicable", detail);
    }
}

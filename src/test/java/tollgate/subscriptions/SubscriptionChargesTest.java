package tollgate.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import tollgate.catalog.BillingInterval;
import tollgate.catalog.Coupon;
import tollgate.catalog.CouponDuration;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.invoicing.Discount;
import tollgate.invoicing.InvoiceLine;
import tollgate.invoicing.PaymentTerms;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;

/**
 * What flat and seats subscriptions bill in advance (SPEC §2), asked of {@link SubscriptionCharges} alone, with exact
 * dates and cents: its rows, plans and coupons are kept in memory, the billing dates it schedules and the events it
 * tells are recorded. No database, no server ({@code SubscriptionBillingTest} runs the same rules through the API).
 */
class SubscriptionChargesTest {
    private static final Tenant TENANT = new Tenant("tnt_1", "Shop owner", Tenant.Mode.TEST);
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final String ACCOUNT = "acct_1";

    private final Map<String, Subscription> subscriptions = new TreeMap<>();
    private final Map<Long, PendingCharge> pending = new TreeMap<>();
    private final Map<Long, Instant> billed = new HashMap<>();
    private final Map<String, Plan> plans = new HashMap<>();
    private final Map<String, Coupon> coupons = new HashMap<>();
    private final tollgate.testing.RecordedSchedule schedule = new tollgate.testing.RecordedSchedule();
    private final List<String> scheduled = schedule.scheduled;
    private final List<String> events = new ArrayList<>();

    private final SubscriptionCharges charges = new SubscriptionCharges(new SubscriptionCharges.Rows() {
        @Override
        public Set<String> accountsWithDue(DSLContext db, String tenantId, List<String> accountIds, Instant at, Set<PlanType> types,
                                           boolean prorations) {
            Set<String> due = new java.util.HashSet<>();
            for (String a : accountIds) {
                if (!lockDue(db, tenantId, a, at, types).isEmpty() || prorations && !lockPendingDue(db, tenantId, a, at).isEmpty()) due.add(a);
            }
            return due;
        }

        @Override
        public List<Subscription> lockDue(DSLContext db, String tenantId, String accountId, Instant at, Set<PlanType> types) {
            return subscriptions.values().stream().filter(s -> s.account().equals(accountId) && types.contains(s.planType())
                    && s.billing().nextBillingAt() != null && !s.billing().nextBillingAt().isAfter(at)).toList();
        }

        @Override
        public List<PendingCharge> lockPendingDue(DSLContext db, String tenantId, String accountId, Instant at) {
            return pending.values().stream().filter(p -> p.account().equals(accountId) && !p.billAt().isAfter(at)
                    && !billed.containsKey(p.id())).toList();
        }

        @Override
        public Optional<Subscription> lock(DSLContext db, String tenantId, String id) {
            return Optional.ofNullable(subscriptions.get(id));
        }

        @Override
        public void markBilled(DSLContext db, List<PendingCharge> charges, Instant at) {
            for (PendingCharge p : charges) billed.put(p.id(), at);
        }

        @Override
        public void update(DSLContext db, String tenantId, Subscription s) {
            subscriptions.put(s.id(), s);
        }
    }, (tx, tenantId, id) -> Optional.ofNullable(plans.get(id)), (tx, tenantId, id) -> Optional.ofNullable(coupons.get(id)),
            (tx, tenantId, type, accountId, at, data) -> events.add(type + " " + at), schedule);

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private Plan plan(String id, String name, PlanType type, long amount, BillingInterval interval, Integer included, Long seat,
                      int trialDays) {
        Plan p = new Plan(id, name, type, "usd", amount, interval, included, seat, null, null, trialDays, null, null, at("2020-01-01T00:00:00Z"));
        plans.put(id, p);
        return p;
    }

    private Plan flat(long amount, BillingInterval interval) {
        return plan("plan_flat", "Hosting", PlanType.FLAT, amount, interval, null, null, 0);
    }

    private Plan seats() {
        return plan("plan_seats", "Agency", PlanType.SEATS, 4900, BillingInterval.MONTH, 5, 800L, 0);
    }

    /** A signup as the API makes it (anchored at its instant), kept as its row. */
    private Subscription subscribe(Plan plan, Integer seats, String coupon, ZoneId zone, String instant) {
        Subscription s = SubscriptionRules.subscribe(ACCOUNT, "usd", zone, plan, seats, coupon == null ? null : coupons.get(coupon),
                PaymentTerms.CHARGE_AUTOMATICALLY, SubscriptionRules.Anchor.at(at(instant)), at(instant)).subscription();
        subscriptions.put(s.id(), s);
        return s;
    }

    private Charges dueAt(ZoneId zone, String instant) {
        return charges.dueAt(new Ctx(null, TENANT, at(instant)), new ChargeSource.Account(ACCOUNT, "usd", zone));
    }

    private static InvoiceLine line(String kind, String description, Plan plan, Subscription s, String from, String to,
                                    long quantity, Integer days, long amount) {
        return new InvoiceLine(kind, description, plan.id(), s.id(), null, null, null, at(from), at(to), quantity, days, amount);
    }

    private static long total(Charges c) {
        return c.lines().stream().mapToLong(InvoiceLine::amount).sum() - c.discounts().stream().mapToLong(Discount::amount).sum();
    }

    @Test
    void aMonthlyPlanFromMar4BillsEachPeriodInAdvanceOnThe4thAtTheSignupsLocalTimeAndOnlyOnce() {
        Plan plan = flat(2500, BillingInterval.MONTH);
        // 10:30 in Berlin: 09:30 UTC in winter, 08:30 UTC once the clocks change on 2030-03-31.
        Subscription s = subscribe(plan, null, null, BERLIN, "2030-03-04T09:30:00Z");

        assertThat(dueAt(BERLIN, "2030-03-04T09:30:00Z").lines()).containsExactly(line("subscription", "Hosting, monthly", plan, s,
                "2030-03-04T09:30:00Z", "2030-04-04T08:30:00Z", 1, null, 2500));
        assertThat(scheduled).containsExactly(ACCOUNT + " 2030-04-04T08:30:00Z");
        assertThat(dueAt(BERLIN, "2030-04-04T08:29:59Z").isEmpty()).isTrue();
        assertThat(dueAt(BERLIN, "2030-04-04T08:30:00Z").lines()).containsExactly(line("subscription", "Hosting, monthly", plan, s,
                "2030-04-04T08:30:00Z", "2030-05-04T08:30:00Z", 1, null, 2500));
        // Asked again at the same instant (a retried run): nothing is owed twice.
        assertThat(dueAt(BERLIN, "2030-04-04T08:30:00Z").isEmpty()).isTrue();
        assertThat(subscriptions.get(s.id()).currentPeriodEnd()).isEqualTo(at("2030-05-04T08:30:00Z"));
        assertThat(subscriptions.get(s.id()).billing().invoices()).isEqualTo(2);
        assertThat(events).isEmpty(); // renewals stay silent
    }

    @Test
    void aYearlyPlanFromFeb29Bills120000ThenOnFeb28AndNothingInTheMonthsBetween() {
        Plan plan = flat(120000, BillingInterval.YEAR);
        Subscription s = subscribe(plan, null, null, UTC, "2028-02-29T12:00:00Z");

        assertThat(dueAt(UTC, "2028-02-29T12:00:00Z").lines()).containsExactly(line("subscription", "Hosting, yearly", plan, s,
                "2028-02-29T12:00:00Z", "2029-02-28T12:00:00Z", 1, null, 120000));
        assertThat(dueAt(UTC, "2028-03-29T12:00:00Z").isEmpty()).isTrue();
        assertThat(dueAt(UTC, "2029-02-28T11:59:59Z").isEmpty()).isTrue();
        assertThat(dueAt(UTC, "2029-02-28T12:00:00Z").lines()).containsExactly(line("subscription", "Hosting, yearly", plan, s,
                "2029-02-28T12:00:00Z", "2030-02-28T12:00:00Z", 1, null, 120000));
        assertThat(scheduled).containsExactly(ACCOUNT + " 2029-02-28T12:00:00Z", ACCOUNT + " 2030-02-28T12:00:00Z");
    }

    @Test
    void aMonthlyPlanFromJan31BillsOnFeb28Mar31Apr30AndFeb29InALeapYear() {
        Plan plan = flat(2500, BillingInterval.MONTH);
        Subscription s = subscribe(plan, null, null, UTC, "2030-01-31T10:00:00Z");
        dueAt(UTC, "2030-01-31T10:00:00Z");
        assertThat(dueAt(UTC, "2030-02-28T10:00:00Z").lines()).containsExactly(line("subscription", "Hosting, monthly", plan, s,
                "2030-02-28T10:00:00Z", "2030-03-31T10:00:00Z", 1, null, 2500));
        assertThat(dueAt(UTC, "2030-03-31T10:00:00Z").lines()).extracting(l -> l.periodEnd()).containsExactly(at("2030-04-30T10:00:00Z"));
        assertThat(scheduled).containsExactly(ACCOUNT + " 2030-02-28T10:00:00Z", ACCOUNT + " 2030-03-31T10:00:00Z",
                ACCOUNT + " 2030-04-30T10:00:00Z");

        subscriptions.clear();
        Subscription leap = subscribe(plan, null, null, UTC, "2028-01-31T10:00:00Z");
        dueAt(UTC, "2028-01-31T10:00:00Z");
        assertThat(dueAt(UTC, "2028-02-29T10:00:00Z").lines()).containsExactly(line("subscription", "Hosting, monthly", plan, leap,
                "2028-02-29T10:00:00Z", "2028-03-31T10:00:00Z", 1, null, 2500));
    }

    @Test
    void sevenSeatsWithFiveIncludedBill4900And2x800() {
        Plan plan = seats();
        Subscription s = subscribe(plan, 7, null, UTC, "2030-01-04T09:00:00Z");

        Charges signup = dueAt(UTC, "2030-01-04T09:00:00Z");
        assertThat(signup.lines()).containsExactly(
                line("subscription", "Agency, monthly", plan, s, "2030-01-04T09:00:00Z", "2030-02-04T09:00:00Z", 1, null, 4900),
                line("seats", "Agency: 7 seats, 5 included, 2 extra", plan, s, "2030-01-04T09:00:00Z", "2030-02-04T09:00:00Z", 2, null, 1600));
        assertThat(total(signup)).isEqualTo(6500);
    }

    @Test
    void aSeatIncreaseOnJan20IsProrated3x800x15Over31Is1161OnFeb4AndADecreaseWaitsForMar4() {
        Plan plan = seats();
        Subscription s = subscribe(plan, 7, null, UTC, "2030-01-04T09:00:00Z");
        dueAt(UTC, "2030-01-04T09:00:00Z");

        seatsTo(s.id(), plan, 10, "2030-01-20T15:00:00Z");
        assertThat(dueAt(UTC, "2030-02-03T09:00:00Z").isEmpty()).isTrue();
        // Feb 4: 4900 + 5 extra × 800 = 8900, plus 3 more seats for 15 of January's 31 days: 1161.29 → 1161.
        Charges feb = dueAt(UTC, "2030-02-04T09:00:00Z");
        assertThat(feb.lines()).containsExactly(
                line("subscription", "Agency, monthly", plan, s, "2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z", 1, null, 4900),
                line("seats", "Agency: 10 seats, 5 included, 5 extra", plan, s, "2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z", 5, null, 4000),
                line("proration", "Agency: 3 extra seats from 2030-01-20, 15 of 31 days", plan, s,
                        "2030-01-20T15:00:00Z", "2030-02-04T09:00:00Z", 3, 15, 1161));
        assertThat(total(feb)).isEqualTo(10061);
        assertThat(billed).containsOnlyKeys(1L);

        // A decrease on Feb 10 owes nothing and takes effect on Mar 4, without a credit: 4900 + 1 extra × 800.
        seatsTo(s.id(), plan, 6, "2030-02-10T00:00:00Z");
        assertThat(pending).hasSize(1);
        Charges mar = dueAt(UTC, "2030-03-04T09:00:00Z");
        assertThat(mar.lines()).extracting(InvoiceLine::kind, InvoiceLine::quantity, InvoiceLine::amount).containsExactly(
                org.assertj.core.groups.Tuple.tuple("subscription", 1L, 4900L), org.assertj.core.groups.Tuple.tuple("seats", 1L, 800L));
        assertThat(subscriptions.get(s.id()).seats()).isEqualTo(6);
        assertThat(events).containsExactly("subscription.updated 2030-03-04T09:00:00Z");
    }

    /** A seat change as the API makes it: the subscription saved, its proration kept for the next monthly date. */
    private void seatsTo(String id, Plan plan, int seats, String instant) {
        SeatChange change = SeatChange.to(subscriptions.get(id), plan, UTC, seats, at(instant));
        subscriptions.put(id, change.subscription());
        if (change.proration() != null) {
            PendingCharge p = change.proration();
            long n = pending.size() + 1;
            pending.put(n, new PendingCharge(n, p.subscription(), p.account(), p.plan(), p.description(), p.periodStart(),
                    p.periodEnd(), p.quantity(), p.days(), p.amount(), p.createdAt(), p.billAt()));
        }
    }

    @Test
    void aFourteenDayTrialFromMar20BillsNothingUntilApr3ThenTheFirstPeriodFromTheTrialsEnd() {
        Plan plan = plan("plan_trial", "Hosting", PlanType.FLAT, 2500, BillingInterval.MONTH, null, null, 14);
        Subscription s = subscribe(plan, null, null, BERLIN, "2030-03-20T09:00:00Z"); // 10:00 in Berlin
        assertThat(s.status()).isEqualTo(SubscriptionStatus.TRIALING);

        assertThat(dueAt(BERLIN, "2030-03-20T09:00:00Z").isEmpty()).isTrue();
        assertThat(dueAt(BERLIN, "2030-04-02T08:00:00Z").isEmpty()).isTrue(); // day 13
        // The trial ends at 10:00 summer time on Apr 3: 08:00 UTC.
        assertThat(dueAt(BERLIN, "2030-04-03T08:00:00Z").lines()).containsExactly(line("subscription", "Hosting, monthly", plan, s,
                "2030-04-03T08:00:00Z", "2030-05-03T08:00:00Z", 1, null, 2500));
        assertThat(subscriptions.get(s.id()).status()).isEqualTo(SubscriptionStatus.ACTIVE);
        assertThat(events).containsExactly("subscription.updated 2030-04-03T08:00:00Z");
        assertThat(scheduled).containsExactly(ACCOUNT + " 2030-05-03T08:00:00Z");
    }

    @Test
    void couponsForeverTake20PercentOfEveryInvoiceOnceTheFirstOnlyRepeatingThreeMonthsJan4Feb4Mar4() {
        coupons.put("c_forever", new Coupon("c_forever", "Partner", java.math.BigDecimal.valueOf(20), null, null, CouponDuration.FOREVER, null, at("2029-01-01T00:00:00Z")));
        Plan agency = seats();
        Subscription s = subscribe(agency, 7, "c_forever", UTC, "2030-01-04T09:00:00Z");
        for (String date : List.of("2030-01-04T09:00:00Z", "2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z")) {
            Charges c = dueAt(UTC, date);
            assertThat(c.discounts()).as(date).containsExactly(new Discount("c_forever", s.id(), "Partner: 20% off", 1300));
            assertThat(total(c)).isEqualTo(5200);
        }

        subscriptions.clear();
        coupons.put("c_once", new Coupon("c_once", "Welcome", null, 500L, "usd", CouponDuration.ONCE, null, at("2029-01-01T00:00:00Z")));
        Plan hosting = flat(2500, BillingInterval.MONTH);
        subscribe(hosting, null, "c_once", UTC, "2030-01-04T09:00:00Z");
        assertThat(dueAt(UTC, "2030-01-04T09:00:00Z").discounts()).extracting(Discount::amount).containsExactly(500L);
        assertThat(dueAt(UTC, "2030-02-04T09:00:00Z").discounts()).isEmpty();

        subscriptions.clear();
        coupons.put("c_rep", new Coupon("c_rep", "Launch", java.math.BigDecimal.valueOf(25), null, null, CouponDuration.REPEATING, 3, at("2029-01-01T00:00:00Z")));
        subscribe(hosting, null, "c_rep", UTC, "2030-01-04T09:00:00Z");
        // 25% of 2500 = 625 on Jan 4, Feb 4 and Mar 4; Apr 4 is three months after the start: no discount.
        for (String date : List.of("2030-01-04T09:00:00Z", "2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z"))
            assertThat(dueAt(UTC, date).discounts()).as(date).extracting(Discount::amount).containsExactly(625L);
        Charges apr = dueAt(UTC, "2030-04-04T09:00:00Z");
        assertThat(apr.discounts()).isEmpty();
        assertThat(total(apr)).isEqualTo(2500);
    }

    @Test
    void aMonthlyOverageBesideAFlatPlanFromJan31ClosesOnFeb28WithTheFlatRenewalAndTakesItsOwnCoupon() {
        Plan hosting = flat(2500, BillingInterval.MONTH);
        Plan requests = new Plan("plan_req", "Requests", PlanType.USAGE, "usd", null, BillingInterval.MONTH, null, null, 2L, null, 0,
                null, null, at("2020-01-01T00:00:00Z"));
        plans.put(requests.id(), requests);
        coupons.put("c_ten", new Coupon("c_ten", "Ten", java.math.BigDecimal.valueOf(10), null, null, CouponDuration.FOREVER, null, at("2029-01-01T00:00:00Z")));
        Subscription flatSub = subscribe(hosting, null, null, UTC, "2030-01-31T10:00:00Z");
        Subscription usage = subscribe(requests, null, "c_ten", UTC, "2030-01-31T10:00:00Z");
        Ctx feb28 = new Ctx(null, TENANT, at("2030-02-28T10:00:00Z"));

        // In advance, only the flat plan: the usage cycle is billed at its end, in arrears.
        assertThat(dueAt(UTC, "2030-01-31T10:00:00Z").lines()).extracting(InvoiceLine::subscription).containsExactly(flatSub.id());
        assertThat(charges.accountsWithCycleEnded(feb28.at(at("2030-02-28T09:59:59Z")), List.of(ACCOUNT))).isEmpty();
        assertThat(charges.accountsWithCycleEnded(feb28, List.of(ACCOUNT))).containsExactly(ACCOUNT);
        assertThat(dueAt(UTC, "2030-02-28T10:00:00Z").lines()).extracting(InvoiceLine::subscription).containsExactly(flatSub.id());

        // The cycle [Jan 31, Feb 28) of 4321 requests × 2 = 8642, 10% off = 864.2 → 864; the cycle moves on to Mar 31.
        List<Subscription> ended = charges.lockCyclesEnded(feb28, ACCOUNT);
        assertThat(ended).extracting(Subscription::id).containsExactly(usage.id());
        BillingDate cycle = BillingDate.inArrears(ended.getFirst(), requests, UTC, feb28.now(), 4321);
        Charges overage = charges.settle(feb28, UTC, Map.of(usage.id(), cycle.subscription()), Map.of(usage.id(), cycle.lines()));
        assertThat(overage.lines()).containsExactly(line("usage", "Requests: 4,321 units", requests, usage,
                "2030-01-31T10:00:00Z", "2030-02-28T10:00:00Z", 4321, null, 8642));
        assertThat(overage.discounts()).containsExactly(new Discount("c_ten", usage.id(), "Ten: 10% off", 864));
        assertThat(subscriptions.get(usage.id()).currentPeriodEnd()).isEqualTo(at("2030-03-31T10:00:00Z"));
        assertThat(subscriptions.get(usage.id()).billing().invoices()).isEqualTo(1);
        assertThat(charges.lockCyclesEnded(feb28, ACCOUNT)).isEmpty();
    }
}

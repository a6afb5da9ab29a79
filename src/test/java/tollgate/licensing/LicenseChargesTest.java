package tollgate.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.invoicing.InvoiceLine;
import tollgate.tenants.Tenant;

/**
 * What license plans bill (SPEC §2: in arrears per calendar month, at 00:00 on the 1st in the account's zone, one line
 * per license of round(amount × active days / days in month), half-even once per line), asked of the source alone: its
 * licenses and prices come from memory, the next 1sts it schedules are recorded. No database, no server.
 */
class LicenseChargesTest {
    private static final Tenant TENANT = new Tenant("tnt_1", "Shop owner", Tenant.Mode.TEST);
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final String PLAN = "plan_security";

    private final List<LicenseCharges.LicenseSpan> licenses = new ArrayList<>();
    private final Map<String, LicenseCharges.LicensePrice> prices = new java.util.HashMap<>(
            Map.of(PLAN, new LicenseCharges.LicensePrice("Jetpack Security", 900, 0)));
    private final tollgate.testing.RecordedSchedule schedule = new tollgate.testing.RecordedSchedule();
    private final List<String> scheduled = schedule.scheduled;

    private final LicenseCharges charges = new LicenseCharges(new LicenseCharges.Licenses() {
        @Override
        public List<LicenseCharges.LicenseSpan> overlapping(DSLContext tx, String tenantId, List<String> accountIds, Instant from,
                                                            Instant to) {
            return licenses.stream().filter(l -> accountIds.contains(l.account()) && l.issuedAt().isBefore(to)
                    && (l.revokedAt() == null || l.revokedAt().isAfter(from))).toList();
        }

        @Override
        public Optional<LicenseCharges.LicensePrice> price(DSLContext tx, String tenantId, String planId) {
            return Optional.ofNullable(prices.get(planId));
        }

        @Override
        public List<LicenseCharges.LicenseSpan> overlappingPage(DSLContext tx, String tenantId, String accountId, Instant from,
                                                                Instant to, String afterId, int limit) {
            return overlapping(tx, tenantId, List.of(accountId), from, to).stream()
                    .filter(l -> afterId == null || l.id().compareTo(afterId) > 0)
                    .sorted(java.util.Comparator.comparing(LicenseCharges.LicenseSpan::id)).limit(limit).toList();
        }

        @Override
        public List<LicenseCharges.SpanGroup> overlappingGroups(DSLContext tx, String tenantId, String accountId, Instant from,
                                                                Instant to) {
            Map<List<Object>, Integer> groups = new java.util.LinkedHashMap<>();
            for (LicenseCharges.LicenseSpan l : overlapping(tx, tenantId, List.of(accountId), from, to))
                groups.merge(java.util.Arrays.asList(l.plan(), l.issuedAt(), l.revokedAt()), 1, Integer::sum);
            List<LicenseCharges.SpanGroup> out = new ArrayList<>();
            groups.forEach((k, n) -> out.add(new LicenseCharges.SpanGroup((String) k.get(0), (Instant) k.get(1), (Instant) k.get(2), n)));
            return out;
        }
    }, schedule);

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private void license(String id, String account, String issued, String revoked) {
        licenses.add(new LicenseCharges.LicenseSpan(id, account, PLAN, id.substring(id.length() - 5).toUpperCase(),
                "https://" + id + ".example", at(issued), revoked == null ? null : at(revoked)));
    }

    private Charges dueAt(String account, ZoneId zone, String instant) {
        return charges.dueAt(new tollgate.tenants.Ctx(null, TENANT, at(instant)), new ChargeSource.Account(account, "usd", zone));
    }

    private static InvoiceLine line(String license, String description, String from, String to, int days, long amount) {
        return new InvoiceLine("license", description, PLAN, null, license, license.substring(license.length() - 5).toUpperCase(),
                "https://" + license + ".example", at(from), at(to), 1, days, amount);
    }

    @Test
    void aLicenseIssuedOnMarch10BillsTwentyTwoOfThirtyOneDaysOf900As639OnApril1AndTheNextFirstIsScheduled() {
        license("lic_aaaaa", "acct_1", "2027-03-10T15:00:00Z", null);

        Charges april = dueAt("acct_1", UTC, "2027-04-01T00:00:00Z");

        // 900 × 22 / 31 = 638.71 → 639
        assertThat(april.lines()).containsExactly(line("lic_aaaaa",
                "Jetpack Security — license …AAAAA (https://lic_aaaaa.example), 22 of 31 days of 2027-03, first day 2027-03-10",
                "2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z", 22, 639));
        assertThat(april.discounts()).isEmpty();
        assertThat(scheduled).containsExactly("acct_1 2027-05-01T00:00:00Z");
    }

    @Test
    void aLicenseRevokedOnMarch20At0900BillsTwentyDaysAs581AndSchedulesNoFurtherFirst() {
        license("lic_bbbbb", "acct_1", "2027-01-15T10:00:00Z", "2027-03-20T09:00:00Z");

        // Active March 1 to 20 (the day of revocation counts): 900 × 20 / 31 = 580.65 → 581
        assertThat(dueAt("acct_1", UTC, "2027-04-01T00:00:00Z").lines()).extracting(InvoiceLine::days, InvoiceLine::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(20, 581L));
        assertThat(dueAt("acct_1", UTC, "2027-04-01T00:00:00Z").lines().getFirst().description())
                .endsWith("), 20 of 31 days of 2027-03, last day 2027-03-20 (revoked)");
        assertThat(scheduled).isEmpty();
        // The month after its revocation it bills nothing.
        assertThat(dueAt("acct_1", UTC, "2027-05-01T00:00:00Z").isEmpty()).isTrue();
    }

    /** Revoked at 00:00 on March 20, it was not active on the 20th: its line says the 19th was its last day. */
    @Test
    void aLicenseRevokedAtMidnightSaysItsLastDayWasTheDayBefore() {
        license("lic_ccccc", "acct_1", "2027-03-05T00:00:00Z", "2027-03-20T00:00:00Z");
        InvoiceLine line = dueAt("acct_1", UTC, "2027-04-01T00:00:00Z").lines().getFirst();
        assertThat(line.days()).isEqualTo(15);
        assertThat(line.description()).endsWith("), 15 of 31 days of 2027-03, first day 2027-03-05, last day 2027-03-19 (revoked)");
    }

    @Test
    void aBundlesRefillOnMarch15BillsTheRevokedLicenseFifteenDaysAndItsReplacementSeventeen() {
        // SPEC §3: revoking a bundle's license issues its replacement at once; both are active on March 15.
        license("lic_ccccc", "acct_1", "2027-02-01T00:00:00Z", "2027-03-15T12:00:00Z");
        license("lic_ddddd", "acct_1", "2027-03-15T12:00:00Z", null);

        Charges april = dueAt("acct_1", UTC, "2027-04-01T00:00:00Z");

        // 900 × 15 / 31 = 435.48 → 435 and 900 × 17 / 31 = 493.55 → 494, each rounded once on its own line.
        assertThat(april.lines()).extracting(InvoiceLine::license, InvoiceLine::days, InvoiceLine::amount).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("lic_ccccc", 15, 435L), org.assertj.core.groups.Tuple.tuple("lic_ddddd", 17, 494L));
        assertThat(scheduled).containsExactly("acct_1 2027-05-01T00:00:00Z");
    }

    @Test
    void aLeapFebruaryHasTwentyNineDaysSoTwentyOfThemOf900Are621() {
        license("lic_eeeee", "acct_1", "2028-02-10T08:00:00Z", null);

        // 900 × 20 / 29 = 620.69 → 621
        assertThat(dueAt("acct_1", UTC, "2028-03-01T00:00:00Z").lines()).containsExactly(line("lic_eeeee",
                "Jetpack Security — license …EEEEE (https://lic_eeeee.example), 20 of 29 days of 2028-02, first day 2028-02-10",
                "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z", 20, 621));
    }

    @Test
    void aHalfCentRoundsToEvenOnceOnTheLine() {
        prices.put(PLAN, new LicenseCharges.LicensePrice("Jetpack Security", 75, 0));
        license("lic_fffff", "acct_1", "2027-04-30T10:00:00Z", null);

        // 75 × 1 / 30 = 2.5 → 2 (half-even), not 3
        assertThat(dueAt("acct_1", UTC, "2027-05-01T00:00:00Z").lines()).extracting(InvoiceLine::days, InvoiceLine::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 2L));
    }

    @Test
    void aFourteenDayTrialFromMarch10IsBilledFromMarch24EightDaysAs232() {
        prices.put(PLAN, new LicenseCharges.LicensePrice("Jetpack Security", 900, 14));
        license("lic_ggggg", "acct_1", "2027-03-10T15:00:00Z", null);

        // 900 × 8 / 31 = 232.26 → 232
        assertThat(dueAt("acct_1", UTC, "2027-04-01T00:00:00Z").lines()).extracting(InvoiceLine::days, InvoiceLine::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(8, 232L));
    }

    @Test
    void onlyMidnightOnTheFirstInTheAccountsZoneClosesAMonth() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        license("lic_hhhhh", "acct_1", "2027-03-10T15:00:00Z", null);

        // 00:00 UTC on April 1 is 02:00 in Berlin (summer time): no month ends there, nothing is billed or scheduled.
        assertThat(dueAt("acct_1", berlin, "2027-04-01T00:00:00Z").isEmpty()).isTrue();
        assertThat(scheduled).isEmpty();
        // 22:00 UTC on March 31 is midnight on April 1 in Berlin: March is billed, counted in Berlin's days.
        Charges april = dueAt("acct_1", berlin, "2027-03-31T22:00:00Z");
        assertThat(april.lines()).extracting(InvoiceLine::periodStart, InvoiceLine::days, InvoiceLine::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(at("2027-02-28T23:00:00Z"), 22, 639L));
        assertThat(scheduled).containsExactly("acct_1 2027-04-30T22:00:00Z");
    }

    @Test
    void aBatchAnswersEachAccountForItsOwnLicensesAndLeavesOutAccountsWithNone() {
        license("lic_iiiii", "acct_1", "2027-03-01T00:00:00Z", null);
        license("lic_jjjjj", "acct_2", "2027-03-31T23:00:00Z", null);

        Map<String, Charges> due = charges.dueAtAll(new tollgate.tenants.Ctx(null, TENANT, at("2027-04-01T00:00:00Z")), List.of(new ChargeSource.Account("acct_1", "usd", UTC),
                new ChargeSource.Account("acct_2", "usd", UTC), new ChargeSource.Account("acct_3", "usd", UTC)));

        assertThat(due).containsOnlyKeys("acct_1", "acct_2");
        assertThat(due.get("acct_1").lines()).extracting(InvoiceLine::days, InvoiceLine::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(31, 900L));
        // One day of 31: 900 / 31 = 29.03 → 29
        assertThat(due.get("acct_2").lines()).extracting(InvoiceLine::days, InvoiceLine::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 29L));
        assertThat(scheduled).containsExactlyInAnyOrder("acct_1 2027-05-01T00:00:00Z", "acct_2 2027-05-01T00:00:00Z");
    }

    /**
     * The Billing page's summary (issue 13) against the line-by-line month so far it replaces: random licenses of two
     * plans (one with a trial) issued and revoked at random instants, some sharing instants as a bundle's do, in three
     * zones and on random days; the count and the total to the cent, and the first lines, must be the same.
     */
    @Test
    void theMonthSoFarSummaryCountsAndTotalsExactlyWhatTheLinesAdd() {
        long seed = System.nanoTime();
        System.out.println("LicenseChargesTest summary seed: " + seed);
        java.util.Random random = new java.util.Random(seed);
        prices.put("plan_trial", new LicenseCharges.LicensePrice("Trial plan", 1_999, 14));
        Instant base = at("2026-01-01T00:00:00Z");
        for (int i = 0; i < 600; i++) {
            Instant issued = i % 7 == 0 && i > 0 ? licenses.get(i - 1).issuedAt()
                    : base.plusSeconds(random.nextLong(400L * 86_400)).plusSeconds(random.nextInt(4) == 0 ? 0 : random.nextInt(86_400));
            Instant revoked = random.nextInt(3) == 0 ? issued.plusSeconds(random.nextLong(60L * 86_400)) : null;
            if (revoked != null && random.nextInt(5) == 0) revoked = revoked.atZone(UTC).toLocalDate().atStartOfDay(UTC).toInstant();
            String id = String.format("lic_%05d", i);
            licenses.add(new LicenseCharges.LicenseSpan(id, "acct_a", random.nextBoolean() ? PLAN : "plan_trial", id.substring(4),
                    null, issued, revoked));
        }
        for (ZoneId zone : List.of(UTC, ZoneId.of("Asia/Kathmandu"), ZoneId.of("America/St_Johns"))) {
            for (int day = 0; day < 40; day++) {
                Instant now = base.plusSeconds(random.nextLong(420L * 86_400));
                List<InvoiceLine> lines = charges.monthSoFar(new tollgate.tenants.Ctx(null, TENANT, now), "acct_a", zone);
                var summary = charges.monthSoFarSummary(null, TENANT, "acct_a", zone, now, 50);
                assertThat(summary.count()).as("count at %s in %s (seed %d)", now, zone, seed).isEqualTo(lines.size());
                assertThat(summary.total()).as("total at %s in %s (seed %d)", now, zone, seed)
                        .isEqualTo(lines.stream().mapToLong(InvoiceLine::amount).sum());
                assertThat(summary.lines()).isEqualTo(lines.subList(0, Math.min(50, lines.size())));
            }
        }
    }

    /**
     * The next-invoice preview's grouped lines (decision 047) against the run's line-by-line answer: random licenses of
     * two plans (one with a trial) in two accounts, bundles sharing instants, revocations at midnight, in three zones at
     * random month firsts; per account the licenses counted (quantities), the amount to the cent and the next 1sts
     * scheduled must be the same, and every grouped line must be its quantity times one license's line.
     */
    @Test
    void thePreviewsGroupedLinesBillExactlyWhatTheRunsLinesAdd() {
        long seed = System.nanoTime();
        System.out.println("LicenseChargesTest preview seed: " + seed);
        java.util.Random random = new java.util.Random(seed);
        prices.put("plan_trial", new LicenseCharges.LicensePrice("Trial plan", 1_999, 14));
        Instant base = at("2026-01-01T00:00:00Z");
        for (int i = 0; i < 600; i++) {
            Instant issued = i % 5 != 0 && i > 0 ? licenses.get(i - 1).issuedAt()
                    : base.plusSeconds(random.nextLong(400L * 86_400)).plusSeconds(random.nextInt(4) == 0 ? 0 : random.nextInt(86_400));
            Instant revoked = random.nextInt(3) == 0 ? issued.plusSeconds(random.nextLong(60L * 86_400)) : null;
            if (revoked != null && random.nextInt(5) == 0) revoked = revoked.atZone(UTC).toLocalDate().atStartOfDay(UTC).toInstant();
            String id = String.format("lic_%05d", i);
            licenses.add(new LicenseCharges.LicenseSpan(id, random.nextInt(4) == 0 ? "acct_b" : "acct_a",
                    random.nextBoolean() ? PLAN : "plan_trial", id.substring(4), null, issued, revoked));
        }
        int[] groupsOfMany = {0};
        for (ZoneId zone : List.of(UTC, ZoneId.of("Asia/Kathmandu"), ZoneId.of("America/St_Johns"))) {
            List<ChargeSource.Account> accounts = List.of(new ChargeSource.Account("acct_a", "usd", zone),
                    new ChargeSource.Account("acct_b", "usd", zone));
            for (int month = 0; month < 15; month++) {
                Instant first = java.time.YearMonth.of(2026, 1).plusMonths(month).atDay(1).atStartOfDay(zone).toInstant();
                tollgate.tenants.Ctx ctx = new tollgate.tenants.Ctx(null, TENANT, first);
                scheduled.clear();
                Map<String, Charges> lines = charges.dueAtAll(ctx, accounts);
                List<String> runScheduled = List.copyOf(scheduled);
                scheduled.clear();
                Map<String, Charges> grouped = charges.previewAtAll(ctx, accounts);
                assertThat(grouped.keySet()).as("accounts at %s in %s (seed %d)", first, zone, seed).isEqualTo(lines.keySet());
                assertThat(scheduled).as("scheduled at %s in %s (seed %d)", first, zone, seed).containsExactlyInAnyOrderElementsOf(runScheduled);
                lines.forEach((account, due) -> {
                    List<InvoiceLine> g = grouped.get(account).lines();
                    assertThat(g.stream().mapToLong(InvoiceLine::quantity).sum()).as("count of %s at %s in %s (seed %d)", account, first, zone, seed)
                            .isEqualTo(due.lines().size());
                    assertThat(g.stream().mapToLong(InvoiceLine::amount).sum()).as("amount of %s at %s in %s (seed %d)", account, first, zone, seed)
                            .isEqualTo(due.lines().stream().mapToLong(InvoiceLine::amount).sum());
                    for (InvoiceLine one : g) {
                        List<InvoiceLine> same = due.lines().stream().filter(l -> l.plan().equals(one.plan()) && l.days().equals(one.days())).toList();
                        assertThat(one.amount()).isEqualTo(one.quantity() * same.getFirst().amount());
                        assertThat(one.periodStart()).isEqualTo(same.getFirst().periodStart());
                        assertThat(one.periodEnd()).isEqualTo(same.getFirst().periodEnd());
                    }
                });
                grouped.values().forEach(c -> c.lines().forEach(l -> { if (l.quantity() > 1) groupsOfMany[0]++; }));
            }
        }
        assertThat(groupsOfMany[0]).as("lines standing for several licenses (seed %d)", seed).isPositive();
    }
}

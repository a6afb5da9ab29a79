package tollgate.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** The portal's page of an account's licenses (decision 034): tabs, search by key ending or site, pages, counts. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class AccountPageTest {
    @Parameter
    TestDatabase database;

    @Test
    void tabsSearchAndPagesOfOneAccountOnly() {
        TestServer server = TestServer.on(database);
        ApiClient api = server.newTenant();
        Licensing licensing = server.app.licensing;
        String account = Fixtures.payingAccount(api, "Agency", "usd");
        String other = Fixtures.payingAccount(api, "Other", "usd");
        String plan = Fixtures.licensePlan(api, "usd", 900);
        List<License> mine = licensing.issueBundle(api.tenant, account, plan, 7).licenses();
        licensing.issue(api.tenant, other, plan, 1);
        licensing.assign(api.tenant, mine.get(0).id(), "https://shop-one.example/sale_1");
        licensing.assign(api.tenant, mine.get(1).id(), "https://shop-two.example");
        licensing.revoke(api.tenant, mine.get(2).id());

        assertThat(licensing.counts(api.tenant, account)).containsEntry(LicenseStatus.ASSIGNED, 2)
                .containsEntry(LicenseStatus.UNASSIGNED, 5).containsEntry(LicenseStatus.REVOKED, 1);
        assertThat(licensing.accountPage(api.tenant, account, null, null, 1, 50).licenses()).hasSize(8)
                .allMatch(l -> l.account().equals(account)).allMatch(l -> l.key() != null);
        assertThat(licensing.accountPage(api.tenant, account, LicenseStatus.REVOKED, null, 1, 50).licenses())
                .extracting(License::id).containsExactly(mine.get(2).id());

        // 8 rows, 3 a page: 3, 3, 2, no overlap, and only the last says no more follow.
        var p1 = licensing.accountPage(api.tenant, account, null, null, 1, 3);
        var p2 = licensing.accountPage(api.tenant, account, null, null, 2, 3);
        var p3 = licensing.accountPage(api.tenant, account, null, null, 3, 3);
        assertThat(List.of(p1.hasMore(), p2.hasMore(), p3.hasMore())).containsExactly(true, true, false);
        assertThat(p3.licenses()).hasSize(2);
        assertThat(java.util.stream.Stream.of(p1, p2, p3).flatMap(p -> p.licenses().stream()).map(License::id).distinct()).hasSize(8);

        // A key's last block in any case (or the whole key), a part of a site; % and _ are plain characters.
        String key = mine.get(3).key();
        for (String q : List.of(key.substring(24).toLowerCase(), key, "…" + key.substring(24)))
            assertThat(licensing.accountPage(api.tenant, account, null, q, 1, 50).licenses()).as(q)
                    .extracting(License::id).containsExactly(mine.get(3).id());
        assertThat(licensing.accountPage(api.tenant, account, null, "SHOP", 1, 50).licenses()).hasSize(2);
        assertThat(licensing.accountPage(api.tenant, account, null, "e_1", 1, 50).licenses())
                .extracting(License::id).containsExactly(mine.get(0).id());
        assertThat(licensing.accountPage(api.tenant, account, null, "%", 1, 50).licenses()).isEmpty();
        assertThat(licensing.accountPage(api.tenant, account, null, "p_t", 1, 50).licenses()).isEmpty();
        assertThat(licensing.accountPage(api.tenant, account, LicenseStatus.UNASSIGNED, "shop", 1, 50).licenses()).isEmpty();
    }
}

package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tollgate.accounts.PortalUser;
import tollgate.tenants.Tenant;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;
import tollgate.web.PasswordRules;
import tollgate.web.Passwords;

/** The first start's demo customer: an owner who can log in with the password printed once (decision 037). */
class DemoPortalUserTest {
    @Test
    void theDemoTenantGetsACustomerWhoseOwnerLogsInWithThePrintedPassword() {
        TestServer server = TestServer.on(TestDatabase.H2);
        Tenant demo = server.app.tenants.create("Demo", Tenant.Mode.TEST).tenant();
        Cli.Serve.DemoUser printed = Cli.Serve.demoPortalUser(server.app, demo);
        PortalUser owner = server.app.portalUsers.byEmail(demo, printed.email()).orElseThrow();
        assertThat(owner.role()).isEqualTo(PortalUser.Role.OWNER);
        assertThat(owner.active()).isTrue();
        assertThat(owner.emailVerified()).isTrue();
        assertThat(owner.passwordHash()).startsWith("$argon2id$").doesNotContain(printed.password());
        assertThat(Passwords.verify(printed.password(), owner.passwordHash())).isTrue();
        assertThat(PasswordRules.problem(printed.password(), printed.email(), "Demo Customer Ltd", "Dana Demo")).isEmpty();
        assertThat(server.app.accounts.get(demo, owner.accountId()).name()).isEqualTo("Demo Customer Ltd");
    }
}

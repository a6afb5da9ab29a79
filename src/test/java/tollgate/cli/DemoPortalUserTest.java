package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tollgate.accounts.PortalUser;
import tollgate.tenants.Tenant;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;
import tollgate.web.PasswordRules;
import tollgate.web.Passwords;

/**
 * The first start's demo customer: an owner who can log in with the password printed once (decision 037); and the demo
 * console's owner, made as {@code tollgate staff create} makes one (decision 041).
 */
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

    @Test
    void theDemoTenantGetsAConsoleOwnerWhoseSignInIsThePrintedPassword() {
        TestServer server = TestServer.on(TestDatabase.H2);
        Tenant demo = server.app.tenants.create("Demo", Tenant.Mode.TEST).tenant();
        StaffCommand.Created printed = StaffCommand.create(server.app, demo, "owner@demo.example", "Demo Owner", tollgate.staff.StaffRole.OWNER);
        tollgate.staff.StaffMember owner = server.app.staff.byEmail(demo, "owner@demo.example").orElseThrow();
        assertThat(owner.role()).isEqualTo(tollgate.staff.StaffRole.OWNER);
        assertThat(owner.active()).isTrue();
        assertThat(owner.passwordHash()).startsWith("$argon2id$").doesNotContain(printed.password());
        assertThat(Passwords.verify(printed.password(), owner.passwordHash())).isTrue();
    }
}

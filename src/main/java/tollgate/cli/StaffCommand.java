package tollgate.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.staff.StaffMember;
import tollgate.staff.StaffRole;
import tollgate.tenants.Tenant;

/** {@code tollgate staff create}: the first owner of a tenant's console (decision 041); owners invite the rest. */
@Command(name = "staff", description = "Manage the console's staff.", subcommands = StaffCommand.Create.class)
final class StaffCommand {
    @Command(name = "create", description = "Create a staff member of a tenant's console and print a one-time password.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--tenant", required = true, description = "The tenant's id or portal slug.")
        String tenant;

        @Option(names = "--email", required = true, description = "The member's email address (they sign in with it).")
        String email;

        @Option(names = "--name", description = "The member's name (default: the part of the address before @).")
        String name;

        @Option(names = "--role", defaultValue = "owner", description = "owner, admin, support or read_only (default: owner).")
        String role;

        @Override
        public Integer call() {
            StaffRole parsed = StaffRole.parse(role)
                    .orElseThrow(() -> new IllegalArgumentException("--role must be owner, admin, support or read_only, not " + role));
            Config config = Cli.config();
            Cli.requireDatabaseFree(config);
            try (Tollgate app = Tollgate.build(config, Clock.systemUTC())) {
                Tenant t = app.tenants.byWorkspace(tenant)
                        .orElseThrow(() -> new IllegalArgumentException("no tenant has the id or slug '" + tenant + "'"));
                Created created = create(app, t, email, name, parsed);
                String workspace = app.tenants.slugOf(t.id()).orElse(t.id());
                System.out.println("staff:     " + created.member().id() + " (" + parsed.wire() + ") of " + t.name());
                System.out.println("console:   /console/login?workspace=" + workspace);
                System.out.println("workspace: " + workspace);
                System.out.println("email:     " + created.member().email());
                System.out.println("password (shown once; change it after signing in): " + created.password());
            } catch (RuntimeException e) {
                throw Cli.inUse(e, config);
            }
            return 0;
        }
    }

    record Created(StaffMember member, String password) {}

    /** A member with a random 24-character password, stored only as its Argon2id hash. */
    static Created create(Tollgate app, Tenant tenant, String email, String name, StaffRole role) {
        String password = tollgate.web.Tokens.random().substring(0, 24);
        String shown = name != null && !name.isBlank() ? name : email.strip().split("@")[0];
        StaffMember m = app.staff.create(tenant, email, shown, role, tollgate.web.Passwords.hash(password));
        return new Created(m, password);
    }
}

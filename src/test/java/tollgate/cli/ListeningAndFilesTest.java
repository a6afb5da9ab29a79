package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.tenants.Tenant;
import tollgate.tenants.Tenants;
import tollgate.testing.TestClocks;

/** Issue 15, "listening and files": the address listened on, the data directory's and secrets' permissions, the first key. */
class ListeningAndFilesTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theDataDirectoryAndTheEncryptionKeyAreTheOwnersOnly() throws Exception {
        Path dataDir = tmp.resolve("fresh/data");
        Config config = new Config(null, null, null, dataDir, 0, null);
        byte[] key = config.encryptionKeyBytes();
        assertThat(key).hasSize(32);
        assertThat(mode(dataDir)).isEqualTo("rwx------");
        assertThat(mode(dataDir.resolve("encryption.key"))).isEqualTo("rw-------");
        try (var left = Files.list(dataDir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("encryption.key"); // no temporary file left
        }
        assertThat(config.encryptionKeyBytes()).isEqualTo(key);
    }

    @Test
    void aSecretIsWrittenWithItsPermissionsFromTheStartAndNeverReplaced() throws Exception {
        Path file = tmp.resolve("secret");
        assertThat(Config.writePrivately(file, "first\n")).isTrue();
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(Config.writePrivately(file, "second\n")).isFalse();
        assertThat(Files.readString(file)).isEqualTo("first\n");
    }

    @Test
    void theEmbeddedDatabaseFilesAreNotWorldReadable() throws Exception {
        Path dataDir = tmp.resolve("h2data");
        try (Tollgate app = Tollgate.build(new Config(null, null, null, dataDir, 0, null), TestClocks.SYSTEM)) {
            assertThat(mode(dataDir)).isEqualTo("rwx------");
            assertThat(mode(dataDir.resolve("tollgate.mv.db"))).isEqualTo("rw-------");
        }
    }

    @Test
    void migrateAndTenantCreateOnANewDataDirectoryLeaveItTheOwnersOnlyAsAStartDoes() throws Exception {
        for (String[] command : java.util.List.of(new String[] {"migrate"}, new String[] {"tenant", "create", "--name", "Acme"})) {
            Path dataDir = tmp.resolve("cli-" + command[0] + "/data");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Cli.run(command, Map.of("TOLLGATE_DATA_DIR", dataDir.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(command[0] + ": " + err).isZero();
            assertThat(mode(dataDir)).as(command[0]).isEqualTo("rwx------");
            assertThat(mode(dataDir.resolve("tollgate.mv.db"))).as(command[0]).isEqualTo("rw-------");
            assertThat(out.toString(StandardCharsets.UTF_8) + err).as(command[0]).doesNotContain("open to other users");
        }
    }

    @Test
    void aDataDirectoryOpenToOthersIsWarnedAboutOncePerStart() throws Exception {
        // Every step of a start that writes there prepares the directory: serve said it four times, tenant create twice.
        ch.qos.logback.classic.Logger start = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("tollgate.start");
        var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        logged.start();
        start.addAppender(logged);
        try {
            Path served = Files.createDirectory(tmp.resolve("served"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Config config = new Config(null, null, null, served, 0, null);
            PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            try (Tollgate app = Tollgate.open(config, TestClocks.SYSTEM)) { // as serve does
                Cli.Serve.Started first = Cli.Serve.start(app, config, 0, out, () -> {});
                Cli.Serve.announceLogins("http://localhost:8080", first.signIns().user(), first.signIns().staff(), config, out);
            }
            Path created = Files.createDirectory(tmp.resolve("created"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
            assertThat(Cli.run(new String[] {"tenant", "create", "--name", "Acme"}, Map.of("TOLLGATE_DATA_DIR", created.toString()), out, out)).isZero();
            assertThat(logged.list.stream().map(e -> e.getFormattedMessage()).filter(m -> m.contains("is open to other users")))
                    .satisfiesExactly(m -> assertThat(m).contains(served.toString()), m -> assertThat(m).contains(created.toString()));
            assertThat(mode(served)).as("warned about, not changed").isEqualTo("rwxr-xr-x");
        } finally {
            start.detachAppender(logged);
        }
    }

    @Test
    void theDemosPasswordsGoToAPrivateFileNotToTheOutput() throws Exception {
        Path dataDir = tmp.resolve("logins");
        Config config = new Config(null, null, null, dataDir, 0, null);
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            Tenant demo = Cli.Serve.firstStart(app.tenants, config, System.out).orElseThrow().tenant();
            Cli.Serve.DemoUser user = Cli.Serve.demoPortalUser(app, demo);
            StaffCommand.Created owner = StaffCommand.create(app, demo, "owner@demo.example", "Demo Owner", tollgate.staff.StaffRole.OWNER);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Cli.Serve.announceLogins("http://localhost:8080", user, owner, config, new PrintStream(out, true, StandardCharsets.UTF_8));
            String printed = out.toString(StandardCharsets.UTF_8);
            Path file = dataDir.resolve(Cli.Serve.FIRST_LOGINS_FILE);
            assertThat(printed).doesNotContain(user.password()).doesNotContain(owner.password())
                    .contains(user.email()).contains(owner.member().email()).contains(file.toString());
            assertThat(Files.readString(file)).contains(user.password()).contains(owner.password())
                    .contains("http://localhost:8080/portal/demo/login").contains("http://localhost:8080/console/login?workspace=demo");
            assertThat(mode(file)).isEqualTo("rw-------");
        }
    }

    @Test
    void theFirstStartPrintsThePrefixAndLastFourAndWritesTheWholeKeyToAPrivateFile() throws Exception {
        Path dataDir = tmp.resolve("first");
        Config config = new Config(null, null, null, dataDir, 0, null);
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            Tenants.Created created = Cli.Serve.firstStart(app.tenants, config, System.out).orElseThrow();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Cli.Serve.announce(created, config, new PrintStream(out, true, StandardCharsets.UTF_8));
            String printed = out.toString(StandardCharsets.UTF_8);
            String key = created.secretKey();
            assertThat(printed).doesNotContain(key).contains("tg_test_…" + key.substring(key.length() - 4));
            Path file = dataDir.resolve(Cli.Serve.FIRST_KEY_FILE);
            assertThat(printed).contains(file.toString());
            assertThat(Files.readString(file).strip()).isEqualTo(key);
            assertThat(mode(file)).isEqualTo("rw-------");
            // The key in the file is the tenant's: a newcomer can use it at once.
            assertThat(app.tenants.authenticate(Files.readString(file).strip()).map(Tenant::name)).contains("Demo");
        }
    }

    @Test
    void tollgateHostDefaultsToLoopbackOutsideContainers() throws Exception {
        boolean container = Files.exists(Path.of("/.dockerenv")) || Files.exists(Path.of("/run/.containerenv"));
        assertThat(Config.fromEnvironment(Map.of()).network().host()).isEqualTo(container ? "0.0.0.0" : "127.0.0.1");
        assertThat(Config.fromEnvironment(Map.of("TOLLGATE_HOST", "127.0.0.1")).network().host()).isEqualTo("127.0.0.1");

        // Listening on 127.0.0.1: the machine's other addresses are refused.
        Config config = tollgate.testing.TestServer.config(tollgate.core.Database.h2MemoryUrl("host" + System.nanoTime()),
                tollgate.testing.TestServer.GENEROUS).withNetwork(new Config.Network("127.0.0.1", null));
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            int port = app.start(0);
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                assertThat(s.isConnected()).isTrue();
            }
            java.net.InetAddress other = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).findFirst().orElse(null);
            if (other != null) {
                try (var s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(other, port), 2000);
                    org.junit.jupiter.api.Assertions.fail("reached the server on " + other);
                } catch (java.net.ConnectException expected) {
                    // refused: not listening there
                }
            }
        }
    }
}

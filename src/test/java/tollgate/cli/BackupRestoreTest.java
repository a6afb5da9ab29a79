package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tollgate.core.Database;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.ServerProcess;

/**
 * Issue 15 point 11 (decision 044): {@code tollgate backup} of a server that is running (another process holds the H2
 * file, so the server itself writes H2's online backup), {@code tollgate restore} into a new data directory (refusing
 * one that holds a database unless {@code --force}), and {@code tollgate check-data} passing on the restored copy and
 * failing, with a message naming the invoice, on a deliberately corrupted one.
 */
class BackupRestoreTest {
    private static final String KEY = "tg_test_backupbackupbackup1234";

    @TempDir
    Path tmp;

    private record Ran(int code, String out, String err) {}

    private static Ran run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRunningServerIsBackedUpRestoredIntoANewDataDirectoryAndTheCopyPassesCheckData() throws Exception {
        Path live = tmp.resolve("live");
        Path restored = tmp.resolve("restored");
        Path backup = tmp.resolve("backups/tollgate-1.zip");
        ServerProcess server = ServerProcess.launchEmbedded(live, ServerProcess.freePort(), Map.of("TOLLGATE_BOOTSTRAP_KEY", KEY),
                tmp.resolve("live.log"));
        try {
            String base = server.awaitListening(Duration.ofSeconds(60));
            ApiClient api = ApiClient.at(base, KEY);
            for (int i = 0; i < 30 && api.get("/health").status() != 200; i++) Thread.sleep(200);

            // Books with issued and paid invoices, a credit note and licenses.
            String plan = Fixtures.flatPlan(api, "usd");
            String firstInvoice = null;
            for (int i = 0; i < 4; i++) {
                String account = Fixtures.payingAccount(api, "Shop " + i, "usd");
                assertThat(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}").status()).isEqualTo(200);
                Fixtures.issueOne(api, account, Fixtures.licensePlan(api, "usd", 900));
                if (firstInvoice == null) firstInvoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
            }
            Res credit = api.post("/v1/invoices/" + firstInvoice + "/credit_notes", "{\"amount\":500,\"refund_to\":\"balance\"}");
            assertThat(credit.status()).as(credit.text()).isEqualTo(200);
            Res invoices = api.get("/v1/invoices?limit=100");
            assertThat(invoices.json().get("data")).hasSize(4);

            // The H2 file is held by the server: the backup is asked of it, and it answers while it keeps serving.
            Ran backedUp = run(Map.of("TOLLGATE_DATA_DIR", live.toString()), "backup", "--to", backup.toString());
            assertThat(backedUp.code()).as(backedUp.err()).isZero();
            assertThat(backedUp.out()).contains("online, by the running server").contains("does not hold the encryption key");
            assertThat(backup).isRegularFile();
            // It holds the whole database: the owner's only, as the database is; so is the directory of requests.
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).isEqualTo("rw-------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    live.resolve(tollgate.core.OnlineBackups.REQUESTS)))).isEqualTo("rwx------");
            assertThat(live.resolve("tollgate.trace.db")).as("H2's trace of the refused probe").doesNotExist();
            assertThat(api.get("/health").status()).isEqualTo(200);
            Ran again = run(Map.of("TOLLGATE_DATA_DIR", live.toString()), "backup", "--to", backup.toString());
            assertThat(again.code()).isEqualTo(1);
            assertThat(again.err()).contains("exists already");
            if (Files.isDirectory(Path.of("/proc/self"))) { // the server says what it could not write, and why
                Ran nowhere = run(Map.of("TOLLGATE_DATA_DIR", live.toString()), "backup", "--to", "/proc/x.zip");
                assertThat(nowhere.code()).isEqualTo(1);
                assertThat(nowhere.err().strip()).isEqualTo(
                        "tollgate: the server could not make the backup: cannot write /proc/x.zip.partial: no such file or directory");
            }
            assertThat(server.stop()).as("exit status after SIGTERM").isZero();
        } finally {
            server.close();
        }

        Map<String, String> restoredEnv = Map.of("TOLLGATE_DATA_DIR", restored.toString());
        Ran restore = run(restoredEnv, "restore", backup.toString());
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("Restored").contains("no encryption key here");
        Ran check = run(restoredEnv, "check-data");
        assertThat(check.code()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("checked 4 invoices, 1 credit notes").contains("no problems");

        // A data directory that holds a database is not overwritten unless asked.
        Ran refused = run(restoredEnv, "restore", backup.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("holds a database already").contains("--force");
        assertThat(run(restoredEnv, "restore", "--force", backup.toString()).code()).isZero();

        // A corrupted copy: a line changed behind the invoice's back, and an invoice number taken out of the series.
        String number;
        try (Connection c = DriverManager.getConnection(Database.h2FileUrl(restored)); Statement s = c.createStatement()) {
            var r = s.executeQuery("select i.number from invoices i order by i.number limit 1");
            r.next();
            number = r.getString(1);
            s.execute("update invoice_lines set amount = amount + 7 where invoice_id = (select id from invoices where number = '" + number + "')"
                    + " and position = (select min(position) from invoice_lines l where l.invoice_id = (select id from invoices where number = '" + number + "'))");
            s.execute("update invoices set number = 'INV-000099' where number = 'INV-000002'");
        }
        Ran corrupted = run(restoredEnv, "check-data");
        assertThat(corrupted.code()).isEqualTo(1);
        assertThat(corrupted.out()).contains("problems:")
                .containsPattern("invoice " + number + " \\(inv_\\w+, tenant tnt_\\w+\\): its lines sum to \\d+ but its subtotal is \\d+")
                .contains("invoice numbers of tenant").contains("have gaps").contains("missing INV-000002")
                .contains("invoice counter of tenant").contains("stands at 4 but the highest number is 99");
    }

    @Test
    void onPostgreSqlBackupAndRestoreSayToUsePgDump() {
        Map<String, String> env = Map.of("TOLLGATE_DATA_DIR", tmp.toString(), "TOLLGATE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none");
        Ran backup = run(env, "backup", "--to", tmp.resolve("x.zip").toString());
        assertThat(backup.code()).isEqualTo(1);
        assertThat(backup.err()).contains("PostgreSQL").contains("pg_dump").contains("point-in-time recovery");
        Ran restore = run(env, "restore", tmp.resolve("x.zip").toString());
        assertThat(restore.code()).isEqualTo(1);
        assertThat(restore.err()).contains("pg_dump");
        assertThat(Files.exists(tmp.resolve("x.zip"))).isFalse();
    }
}

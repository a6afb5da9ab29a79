package tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each capability owns its tables (decision 029): no package imports another package's {@code *Store} (nor a type
 * nested in one), but the wiring, {@code tollgate/Tollgate.java}. Read from the sources, so it needs no library.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern STORE_IMPORT =
            Pattern.compile("^import\\s+(?:static\\s+)?tollgate\\.([a-z]+)\\.([A-Za-z]*Store)(?:\\.[A-Za-z.]+)?\\s*;", Pattern.MULTILINE);
    /** The wiring builds every store and hands each to its owner. */
    private static final Path WIRING = Path.of("tollgate/Tollgate.java");

    @Test
    void noPackageImportsAnotherPackagesStore() throws IOException {
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = MAIN.relativize(file);
                if (relative.equals(WIRING)) continue;
                String own = relative.getParent() == null || relative.getParent().getNameCount() < 2 ? ""
                        : relative.getParent().getName(1).toString();
                Matcher m = STORE_IMPORT.matcher(Files.readString(file));
                while (m.find()) if (!m.group(1).equals(own)) offences.add(relative + " imports " + m.group(1) + "." + m.group(2));
            }
        }
        assertThat(offences).as("imports of another package's store (ask its service or an interface it exports)").isEmpty();
    }

    private static final Pattern INVOICE_WRITE = Pattern.compile(
            "(?i)(update\\s+(invoices|invoice_lines|credit_notes)\\b|insert\\s+into\\s+(invoices|invoice_lines|credit_notes)\\b)");
    private static final Pattern INVOICE_EVENT = Pattern.compile("append(All)?\\([^;]*\"invoice\\.[a-z_]+\"", Pattern.DOTALL);
    /** Whose sources may write invoices or emit {@code invoice.*}: invoicing; and the CLI's webhook bench, which fakes events. */
    /** Invoicing; and two benchmarks: the webhooks bench's rows, the billing bench's database floors (rolled back). */
    private static final List<String> MAY_WRITE_INVOICES = List.of("tollgate/invoicing/", "tollgate/cli/WebhooksBench.java",
            "tollgate/cli/BillingBench.java");

    @Test
    void onlyInvoicingWritesInvoicesAndEmitsTheirEvents() throws IOException {
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String relative = MAIN.relativize(file).toString().replace('\\', '/');
                if (MAY_WRITE_INVOICES.stream().anyMatch(relative::startsWith)) continue;
                String text = Files.readString(file);
                if (INVOICE_WRITE.matcher(text).find()) offences.add(relative + " writes invoice rows");
                if (INVOICE_EVENT.matcher(text).find()) offences.add(relative + " emits an invoice.* event");
            }
        }
        assertThat(offences).as("invoice rows and invoice.* events outside invoicing (use Receivables)").isEmpty();
    }

    @Test
    void theInvoiceChecksSeeAnOffence() {
        assertThat(INVOICE_WRITE.matcher("tx.execute(\"update invoices set status = ?\")").find()).isTrue();
        assertThat(INVOICE_EVENT.matcher("events.append(tx, tenant.id(), \"invoice.paid\", a, now, after);").find()).isTrue();
        assertThat(INVOICE_EVENT.matcher("timeline.schedule(tx, t, at, \"invoice.charge\", id, now);").find()).isFalse();
    }

    @Test
    void theCheckSeesAnOffence() {
        // The pattern itself: a nested type of a store counts, the owner's own package does not matter here.
        Matcher m = STORE_IMPORT.matcher("package tollgate.dunning;\nimport tollgate.accounts.AccountStore.Standing;\n");
        assertThat(m.find()).isTrue();
        assertThat(m.group(1) + "." + m.group(2)).isEqualTo("accounts.AccountStore");
    }

    @Test
    void onlyTheWiringIsAllowedAnything() {
        // The one exception names a file that exists: a renamed wiring class would otherwise slip out of the check.
        assertThat(Files.exists(MAIN.resolve(WIRING))).isTrue();
    }
}

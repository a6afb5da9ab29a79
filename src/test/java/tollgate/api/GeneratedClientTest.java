package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.client.ApiClient;
import tollgate.client.ApiException;
import tollgate.client.api.AccountsApi;
import tollgate.client.api.CatalogApi;
import tollgate.client.api.InvoicesApi;
import tollgate.client.api.LicensesApi;
import tollgate.client.api.PaymentMethodsApi;
import tollgate.client.api.PaymentsApi;
import tollgate.client.api.SubscriptionsApi;
import tollgate.client.api.TestClockApi;
import tollgate.client.model.AccountCreate;
import tollgate.client.model.AdvanceTestClockRequest;
import tollgate.client.model.AssignLicenseRequest;
import tollgate.client.model.CreateSubscriptionRequest;
import tollgate.client.model.Invoice;
import tollgate.client.model.IssueLicensesRequest;
import tollgate.client.model.License;
import tollgate.client.model.PaymentMethodAttach;
import tollgate.client.model.PlanCreate;
import tollgate.client.model.Subscription;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * A customer's first month driven through the Java client that the build generates from the served OpenAPI document
 * (openapi-generator, library "native": java.net.http and Jackson), with nothing else: a license issued and assigned,
 * a subscription whose first charge is declined and then paid by hand, a test-clock month, the license's invoice paid.
 * If the document lies about a path, a body or an answer, this does not compile or fails.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class GeneratedClientTest {
    @Parameter
    TestDatabase database;

    @Test
    void aFirstMonthThroughTheGeneratedClient() throws ApiException {
        TestServer server = TestServer.on(database);
        String key = server.newTenant().key;
        ApiClient client = new ApiClient();
        client.updateBaseUri(server.baseUrl);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        TestClockApi clock = new TestClockApi(client);
        CatalogApi catalog = new CatalogApi(client);
        AccountsApi accounts = new AccountsApi(client);
        LicensesApi licenses = new LicensesApi(client);
        SubscriptionsApi subscriptions = new SubscriptionsApi(client);
        InvoicesApi invoices = new InvoicesApi(client);
        PaymentsApi payments = new PaymentsApi(client);

        clock.advanceTestClock(new AdvanceTestClockRequest().to(OffsetDateTime.parse("2027-03-05T10:00:00Z")), null);
        String licensePlan = catalog.createPlan(new PlanCreate().name("Pro plugin").type(PlanCreate.TypeEnum.LICENSE)
                .currency("usd").amount(900L), null).getId();
        String hostingPlan = catalog.createPlan(new PlanCreate().name("Hosting").type(PlanCreate.TypeEnum.FLAT)
                .currency("usd").amount(2500L), null).getId();
        String account = accounts.createAccount(new AccountCreate().name("Acme").email("ops@acme.test").currency("usd"),
                "open-acme").getId();
        // The card declines its first charge only: the subscription's first invoice stays open until paid by hand.
        new PaymentMethodsApi(client).attachPaymentMethod(account, new PaymentMethodAttach().token("tok_chargeDeclinedOnce"), null);

        License issued = licenses.issueLicenses(account, new IssueLicensesRequest().plan(licensePlan).quantity(1L), null)
                .getData().get(0);
        assertThat(issued.getStatus()).isEqualTo(License.StatusEnum.UNASSIGNED);
        License license = licenses.assignLicense(issued.getId(), new AssignLicenseRequest().siteUrl("https://acme.example"), null);
        assertThat(license.getStatus()).isEqualTo(License.StatusEnum.ASSIGNED);
        assertThat(license.getSiteUrl()).isEqualTo("https://acme.example");

        Subscription hosting = subscriptions.createSubscription(account, new CreateSubscriptionRequest().plan(hostingPlan), null);
        // The signup's first charge runs before the answer (issue #10 point 1.5) and the card declines it once.
        assertThat(hosting.getStatus()).isEqualTo(Subscription.StatusEnum.PAST_DUE);
        clock.advanceTestClock(new AdvanceTestClockRequest().to(OffsetDateTime.parse("2027-03-05T11:00:00Z")), null);
        Invoice first = only(invoices.listAccountInvoices(account, null, null).getData());
        assertThat(first.getStatus()).isEqualTo(Invoice.StatusEnum.OPEN);
        assertThat(first.getTotal()).isEqualTo(2500L);
        Invoice paid = payments.payInvoice(first.getId(), "pay-" + first.getId(), null);
        assertThat(paid.getStatus()).isEqualTo(Invoice.StatusEnum.PAID);
        assertThat(paid.getAmountPaid()).isEqualTo(2500L);
        assertThat(paid.getAmountDue()).isZero();

        // A test-clock month: the license's 27 days of March (5 to 31) are invoiced on 1 April and charged at once.
        clock.advanceTestClock(new AdvanceTestClockRequest().to(OffsetDateTime.parse("2027-04-02T00:00:00Z")), null);
        List<Invoice> all = invoices.listAccountInvoices(account, null, null).getData();
        assertThat(all).hasSize(2);
        Invoice april = invoices.getInvoice(all.get(0).getId());
        assertThat(april.getBillingDate()).isEqualTo(OffsetDateTime.parse("2027-04-01T00:00:00Z"));
        assertThat(april.getLines()).singleElement().satisfies(line -> assertThat(line.getLicense()).isEqualTo(license.getId()));
        assertThat(april.getTotal()).isEqualTo(784L); // 900 × 27/31 = 783.87
        assertThat(april.getStatus()).isEqualTo(Invoice.StatusEnum.PAID);
        assertThat(april.getAmountPaid()).isEqualTo(784L);

        // Errors arrive as the documented problem: status and code.
        assertThatThrownBy(() -> accounts.getAccount("acct_missing"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getResponseBody()).contains("\"code\":\"resource_missing\"");
                });
    }

    private static Invoice only(List<Invoice> invoices) {
        assertThat(invoices).hasSize(1);
        return invoices.get(0);
    }
}

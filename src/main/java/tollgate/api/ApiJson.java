package tollgate.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdDelegatingSerializer;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.Converter;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import tollgate.accounts.Account;
import tollgate.balances.BalanceTransaction;
import tollgate.catalog.BillingInterval;
import tollgate.catalog.Coupon;
import tollgate.catalog.CouponDuration;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.core.Json;
import tollgate.core.Page;
import tollgate.dunning.DunningPolicy;
import tollgate.dunning.DunningTimeline;
import tollgate.dunning.Entitlements;
import tollgate.dunning.StepRun;
import tollgate.events.Event;
import tollgate.invoicing.CreditNote;
import tollgate.invoicing.Invoice;
import tollgate.invoicing.InvoiceItem;
import tollgate.invoicing.InvoiceStatus;
import tollgate.invoicing.PaymentTerms;
import tollgate.invoicing.Refund;
import tollgate.licensing.Bundle;
import tollgate.licensing.License;
import tollgate.licensing.LicenseChange;
import tollgate.licensing.LicenseStatus;
import tollgate.licensing.Licensing;
import tollgate.licensing.SigningKeys;
import tollgate.licensing.SiteCheck;
import tollgate.notify.Notification;
import tollgate.parties.Address;
import tollgate.parties.Company;
import tollgate.payments.DetachedPaymentMethod;
import tollgate.payments.Payment;
import tollgate.payments.PaymentAttempt;
import tollgate.payments.PaymentMethod;
import tollgate.subscriptions.Subscription;
import tollgate.subscriptions.SubscriptionStatus;
import tollgate.tenants.ApiKey;
import tollgate.tenants.EmailBranding;
import tollgate.tenants.SellerCompany;
import tollgate.tenants.TenantProfile;
import tollgate.usage.UsageBatch;
import tollgate.usage.UsageEvent;
import tollgate.webhooks.Delivery;
import tollgate.webhooks.WebhookEndpoint;

/**
 * The JSON of the API's resources. Domain records know nothing of JSON: each resource has a view here (
 * {@link InvoiceJson} …) shaped exactly as the API answers it, and this mapper turns every domain record into its
 * view wherever it appears (an answer, a list, a record nested in another, an event's {@code data}: the wiring hands
 * {@link #MAPPER} to the event log, so webhooks carry the same shapes as answers). Decision 031.
 */
public final class ApiJson {
    /** {@link Json#MAPPER}'s settings (snake_case, RFC 3339, nulls written) plus the resources' views. */
    public static final ObjectMapper MAPPER = Json.MAPPER.copy().registerModule(views());

    private ApiJson() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }

    public static byte[] writeUtf8(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    private static SimpleModule views() {
        SimpleModule m = new SimpleModule("tollgate-api-views");
        view(m, Invoice.class, InvoiceJson.class, InvoiceJson::of);
        wire(m, InvoiceStatus.class, InvoiceStatus::wire);
        wire(m, PaymentTerms.Method.class, PaymentTerms.Method::wire);
        view(m, License.class, LicenseJson.class, LicenseJson::of);
        view(m, Bundle.class, LicenseJson.BundleJson.class, LicenseJson.BundleJson::of);
        view(m, LicenseChange.class, Map.class, LicenseJson::of);
        wire(m, LicenseStatus.class, LicenseStatus::wire);
        view(m, Subscription.class, SubscriptionJson.class, SubscriptionJson::of);
        wire(m, SubscriptionStatus.class, SubscriptionStatus::wire);
        view(m, Plan.class, CatalogJson.PlanJson.class, CatalogJson.PlanJson::of);
        view(m, Coupon.class, CatalogJson.CouponJson.class, CatalogJson.CouponJson::of);
        wire(m, PlanType.class, PlanType::wire);
        wire(m, BillingInterval.class, BillingInterval::wire);
        wire(m, CouponDuration.class, CouponDuration::wire);
        view(m, TenantProfile.class, TenantJson.ProfileJson.class, TenantJson.ProfileJson::of);
        view(m, SellerCompany.class, TenantJson.SellerJson.class, TenantJson.SellerJson::of);
        view(m, ApiKey.class, TenantJson.ApiKeyJson.class, TenantJson.ApiKeyJson::of);
        view(m, Refund.class, RefundJson.class, RefundJson::of);
        view(m, WebhookEndpoint.class, WebhookEndpointJson.class, WebhookEndpointJson::of);
        view(m, Account.class, AccountJson.class, AccountJson::of);
        view(m, PaymentMethod.class, PaymentMethodJson.class, PaymentMethodJson::of);
        view(m, DetachedPaymentMethod.class, PaymentMethodJson.DetachedJson.class, PaymentMethodJson.DetachedJson::of);
        view(m, CreditNote.class, CreditNoteJson.class, CreditNoteJson::of);
        view(m, Event.class, EventJson.class, EventJson::of);
        view(m, Page.class, PageJson.class, p -> PageJson.of(p));
        view(m, Payment.class, PaymentJson.class, PaymentJson::of);
        view(m, PaymentAttempt.class, PaymentJson.AttemptJson.class, PaymentJson.AttemptJson::of);
        wire(m, PaymentAttempt.Status.class, PaymentAttempt.Status::wire);
        wire(m, PaymentAttempt.Reason.class, PaymentAttempt.Reason::wire);
        view(m, InvoiceItem.class, InvoiceItemJson.class, InvoiceItemJson::of);
        view(m, Delivery.class, DeliveryJson.class, DeliveryJson::of);
        view(m, BalanceTransaction.class, BalanceTransactionJson.class, BalanceTransactionJson::of);
        view(m, Notification.class, NotificationJson.class, NotificationJson::of);
        view(m, UsageEvent.class, UsageJson.UsageEventJson.class, UsageJson.UsageEventJson::of);
        view(m, UsageBatch.class, UsageJson.UsageBatchJson.class, UsageJson.UsageBatchJson::of);
        view(m, DunningPolicy.class, DunningJson.PolicyJson.class, DunningJson.PolicyJson::of);
        view(m, DunningTimeline.class, DunningJson.TimelineJson.class, DunningJson.TimelineJson::of);
        view(m, StepRun.class, DunningJson.StepRunJson.class, DunningJson.StepRunJson::of);
        view(m, Entitlements.class, DunningJson.EntitlementsJson.class, DunningJson.EntitlementsJson::of);
        view(m, Entitlements.UpcomingStep.class, DunningJson.UpcomingStepJson.class, DunningJson.UpcomingStepJson::of);
        view(m, Entitlements.DataDeletion.class, DunningJson.DataDeletionJson.class, DunningJson.DataDeletionJson::of);
        view(m, Licensing.Certificate.class, LicenseJson.CertificateJson.class, LicenseJson.CertificateJson::of);
        view(m, SigningKeys.PublicKey.class, LicenseJson.SigningKeyJson.class, LicenseJson.SigningKeyJson::of);
        view(m, SiteCheck.Verdict.class, LicenseJson.VerdictJson.class, LicenseJson.VerdictJson::of);
        view(m, Company.class, PartiesJson.CompanyJson.class, PartiesJson.CompanyJson::of);
        view(m, Address.class, PartiesJson.AddressJson.class, PartiesJson.AddressJson::of);
        view(m, EmailBranding.class, TenantJson.BrandingJson.class, TenantJson.BrandingJson::of);
        view(m, CreditNote.Line.class, CreditNoteJson.LineJson.class, CreditNoteJson.LineJson::of);
        return m;
    }

    /** Every {@code type} is written as its view {@code json}, made by {@code of}. */
    private static <D, J> void view(SimpleModule m, Class<D> type, Class<J> json, Function<D, J> of) {
        m.addSerializer(type, new StdDelegatingSerializer(new Converter<D, J>() {
            @Override
            public J convert(D value) {
                return of.apply(value);
            }

            @Override
            public JavaType getInputType(TypeFactory tf) {
                return tf.constructType(type);
            }

            @Override
            public JavaType getOutputType(TypeFactory tf) {
                return tf.constructType(json);
            }
        }));
    }

    /** A value written as its wire word ({@code open}, {@code send_invoice} …). */
    private static <E> void wire(SimpleModule m, Class<E> type, Function<E, String> word) {
        m.addSerializer(type, new JsonSerializer<E>() {
            @Override
            public void serialize(E value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(word.apply(value));
            }
        });
    }
}

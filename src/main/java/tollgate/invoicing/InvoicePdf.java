package tollgate.invoicing;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.openpdf.text.Document;
import org.openpdf.text.DocumentException;
import org.openpdf.text.Element;
import org.openpdf.text.Font;
import org.openpdf.text.PageSize;
import org.openpdf.text.Paragraph;
import org.openpdf.text.Phrase;
import org.openpdf.text.Rectangle;
import org.openpdf.text.pdf.PdfPCell;
import org.openpdf.text.pdf.PdfPTable;
import org.openpdf.text.pdf.PdfWriter;

/**
 * An invoice as a one-or-more-page A4 PDF: the seller and the buyer, the invoice's number, status, dates and
 * period, a table of lines, and the totals down to the amount due; each page footed with the invoice's number and
 * "Page n of m". Dates are in the account's time zone; amounts use the currency's own decimals. Its look, shared with
 * credit notes, is {@link PdfLook}: Liberation Sans, embedded, where Helvetica, which PDFs may leave out, would be
 * replaced by whatever the viewer has.
 */
public final class InvoicePdf {
    private final PdfLook look;
    private final Font text;
    private final Font small;
    private final Font label;
    private final Font strong;

    /** The issued credit notes that took money off before payment, and those that gave money back after it, oldest first. */
    private final List<CreditNote> creditedBefore;
    private final List<CreditNote> givenBack;

    private InvoicePdf(byte[] logo, PdfFonts fonts, List<CreditNote> creditNotes) {
        this.logo = logo;
        this.creditedBefore = creditNotes.stream().filter(n -> issued(n, CreditNote.PRE_PAYMENT)).toList();
        this.givenBack = creditNotes.stream().filter(n -> issued(n, CreditNote.POST_PAYMENT)).toList();
        look = new PdfLook(2, fonts);
        text = look.text;
        small = look.small;
        label = look.label;
        strong = look.strong;
    }

    /** The PDF of {@code invoice} between {@code parties}. */
    public static byte[] render(Invoice invoice, InvoiceParties parties) {
        return render(invoice, parties, null);
    }

    /**
     * With the seller's logo (a PNG or JPEG as the console stored it, or null) above "Invoice", fitted in 160 × 48 pt
     * without changing its proportions. A logo the PDF library cannot read is left out rather than failing the invoice.
     */
    public static byte[] render(Invoice invoice, InvoiceParties parties, byte[] logo) {
        return render(invoice, parties, logo, PdfFonts.BUILT_IN);
    }

    /** With {@code fonts} for the characters Liberation Sans lacks (decision 088). */
    public static byte[] render(Invoice invoice, InvoiceParties parties, byte[] logo, PdfFonts fonts) {
        return render(invoice, parties, logo, fonts, List.of(), null);
    }

    /**
     * With the invoice's {@code creditNotes}, oldest first (decision 093): each that took money off before payment by
     * number and amount under the amount credited, each that gave money back after payment under the amount due with
     * where its money went; a void one gave nothing and is left out. The invoice's own amounts do not change. A draft's
     * PDF is dated {@code created}, when the draft was made (an issued invoice's is dated by its issue; a draft without
     * it, not at all): the same invoice writes the same bytes each time its content is the same.
     */
    public static byte[] render(Invoice invoice, InvoiceParties parties, byte[] logo, PdfFonts fonts, List<CreditNote> creditNotes,
                                Instant created) {
        InvoicePdf pdf = new InvoicePdf(logo, fonts, creditNotes);
        byte[] fingerprint = PdfLook.fingerprint(invoice.id());
        byte[] bytes = PdfFonts.tagged(fingerprint, () -> pdf.write(invoice, parties, fingerprint,
                invoice.issuedAt() != null ? invoice.issuedAt() : created));
        pdf.look.reportMissing("invoice " + invoice.id());
        return bytes;
    }

    private final byte[] logo;

    private byte[] write(Invoice invoice, InvoiceParties parties, byte[] fingerprint, Instant dated) {
        ZoneId zone = ZoneId.of(parties.timezone());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, PdfLook.MARGIN, PdfLook.MARGIN, PdfLook.MARGIN, PdfLook.MARGIN);
        try {
            PdfWriter writer = PdfWriter.getInstance(doc, out);
            PdfLook.identify(writer, fingerprint, dated);
            writer.setPageEvent(PdfLook.pageFooter(invoice.number() == null ? "Draft invoice" : "Invoice " + invoice.number()));
            doc.addTitle("Invoice " + Objects.requireNonNullElse(invoice.number(), "(draft)"));
            doc.addAuthor(parties.seller().name());
            doc.open();
            doc.add(heading(invoice, zone));
            doc.add(look.spacer(18));
            doc.add(parties(parties));
            doc.add(look.spacer(18));
            doc.add(lines(invoice, zone));
            doc.add(look.spacer(10));
            doc.add(totals(invoice));
            doc.add(look.spacer(24));
            doc.add(footer(invoice, parties));
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("cannot render invoice " + invoice.id(), e);
        }
        return out.toByteArray();
    }

    /**
     * "Invoice" on the left; number, status and dates (the due date of one sent to be paid) on the right. (The seller's
     * name is under FROM.)
     */
    private PdfPTable heading(Invoice invoice, ZoneId zone) throws DocumentException {
        PdfPTable t = PdfLook.table(new float[] {50, 50});
        PdfPCell left = PdfLook.bare();
        org.openpdf.text.Image image = logoImage();
        if (image != null) {
            left.addElement(image);
            left.addElement(look.spacer(8));
        }
        left.addElement(new Paragraph("Invoice", look.title));
        t.addCell(left);

        PdfPTable facts = PdfLook.table(new float[] {42, 58});
        look.fact(facts, "Invoice number", Objects.requireNonNullElse(invoice.number(), "Draft"), strong);
        look.fact(facts, "Status", invoice.status().wire().toUpperCase(Locale.ROOT),
                PdfLook.font(10, Font.BOLD, statusColor(invoice.status())));
        look.fact(facts, "Issue date", invoice.issuedAt() == null ? "not issued" : PdfLook.day(invoice.issuedAt(), zone), text);
        // Sent to be paid (decision 022): the PDF is all a payer by wire has to go by.
        if (invoice.dueDate() != null) look.fact(facts, "Due date", PdfLook.day(invoice.dueDate(), zone), text);
        look.fact(facts, "Billing period", PdfLook.period(invoice.periodStart(), invoice.periodEnd(), zone), text);
        look.fact(facts, "Currency", invoice.currency().toUpperCase(Locale.ROOT), text);
        PdfPCell right = PdfLook.bare();
        right.addElement(facts);
        t.addCell(right);
        return t;
    }

    private org.openpdf.text.Image logoImage() {
        if (logo == null) return null;
        try {
            org.openpdf.text.Image image = org.openpdf.text.Image.getInstance(logo);
            image.scaleToFit(160, 48);
            image.setAlignment(Element.ALIGN_LEFT);
            return image;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** From (the tenant) and Bill to (the account), side by side. */
    private PdfPTable parties(InvoiceParties parties) throws DocumentException {
        PdfPTable t = PdfLook.table(new float[] {50, 50});
        t.addCell(look.party("FROM", parties.seller()));
        t.addCell(look.party("BILL TO", parties.buyer()));
        return t;
    }

    /** One row per line: what it is for (with the license key's suffix), the site, the period and days, quantity, amount. */
    private PdfPTable lines(Invoice invoice, ZoneId zone) throws DocumentException {
        // Quantities and amounts on one line however long: their columns widen, the other three share what is left 35 : 22 : 24.
        float qty = Math.max(7, PdfLook.share(text, invoice.lines().stream().map(l -> Long.toString(l.quantity())).toList()));
        float amount = Math.max(12, PdfLook.share(text,
                invoice.lines().stream().map(l -> AmountFormat.plain(l.amount(), invoice.currency())).toList()));
        float rest = (100 - qty - amount) / 81;
        PdfPTable t = PdfLook.table(new float[] {35 * rest, 22 * rest, 24 * rest, qty, amount});
        t.setHeaderRows(1);
        header(t, "DESCRIPTION", Element.ALIGN_LEFT);
        header(t, "SITE", Element.ALIGN_LEFT);
        header(t, "PERIOD", Element.ALIGN_LEFT);
        header(t, "QTY", Element.ALIGN_RIGHT);
        header(t, "AMOUNT", Element.ALIGN_RIGHT);
        for (Invoice.Line l : invoice.lines()) {
            Phrase what = look.phrase(l.description(), text);
            if (l.keySuffix() != null) {
                what.add(PdfLook.newline(small));
                what.add(look.phrase("License key …" + l.keySuffix(), small));
            }
            t.addCell(row(what, Element.ALIGN_LEFT));
            t.addCell(row(look.phrase(l.siteUrl() == null ? "" : l.siteUrl(), text), Element.ALIGN_LEFT));
            Phrase when = look.phrase(l.periodStart() == null ? "" : PdfLook.period(l.periodStart(), l.periodEnd(), zone), text);
            if (l.days() != null) {
                when.add(PdfLook.newline(small));
                when.add(look.phrase(l.days() + (l.days() == 1 ? " day" : " days"), small));
            }
            t.addCell(row(when, Element.ALIGN_LEFT));
            t.addCell(row(look.phrase(Long.toString(l.quantity()), text), Element.ALIGN_RIGHT));
            t.addCell(row(look.phrase(AmountFormat.plain(l.amount(), invoice.currency()), text), Element.ALIGN_RIGHT));
        }
        return t;
    }

    /** Subtotal down to the amount due, right-aligned under the amounts. */
    private PdfPTable totals(Invoice invoice) throws DocumentException {
        String cur = invoice.currency();
        PdfPTable t = PdfLook.table(new float[] {30, 20}); // its widths are set at the end, when its widest amount is known
        t.setHorizontalAlignment(Element.ALIGN_RIGHT);
        total(t, "Subtotal", AmountFormat.plain(invoice.subtotal(), cur), text, false);
        long listed = invoice.discounts().stream().mapToLong(Discount::amount).sum();
        if (invoice.discounts().size() > 1 && listed == invoice.discount()) {
            for (Discount d : invoice.discounts())
                total(t, "Discount" + (d.description() == null ? "" : ": " + d.description()), AmountFormat.plain(-d.amount(), cur), text, false);
        } else if (invoice.discount() > 0 || !invoice.discounts().isEmpty()) {
            String what = invoice.discounts().size() == 1 && invoice.discounts().getFirst().description() != null
                    ? ": " + invoice.discounts().getFirst().description() : "";
            total(t, "Discount" + what, AmountFormat.plain(-invoice.discount(), cur), text, false);
        }
        total(t, "Tax", AmountFormat.plain(invoice.tax(), cur), text, false);
        total(t, "Total", AmountFormat.plain(invoice.total(), cur), strong, true);
        // What was paid and credited, as amounts (Stripe's "Amount paid $25.26"): a minus sign read as money owed back.
        total(t, "Amount paid", AmountFormat.plain(invoice.amountPaid(), cur), text, false);
        total(t, "Amount credited", AmountFormat.plain(invoice.amountCredited(), cur), text, false);
        // Which credit notes make up the amount credited, each under its own number (its PDF says what it was for).
        for (CreditNote note : creditedBefore) part(t, note.number(), AmountFormat.plain(note.amount(), cur));
        if (invoice.appliedBalance() > 0)
            total(t, "Applied from balance", AmountFormat.plain(invoice.appliedBalance(), cur), text, false);
        // A void invoice asks nothing: its amount_due stays in the API for the record (decision 008), not as a demand.
        // An uncollectible one is still owed (decision 092) and keeps its amount due.
        boolean asksNothing = invoice.status() == InvoiceStatus.VOID;
        total(t, "Amount due", AmountFormat.withCode(asksNothing ? 0 : invoice.amountDue(), cur), PdfLook.font(12, Font.BOLD, PdfLook.INK),
                true);
        if (asksNothing) total(t, "Void \u2014 nothing to pay", "", text, false);
        // Given back after payment (decision 093): the paid invoice's amounts stay; each credit note says where its money went.
        if (!givenBack.isEmpty()) total(t, "Given back after payment", "", label, true);
        for (CreditNote note : givenBack) total(t, note.number() + " " + givenTo(note), AmountFormat.plain(-note.amount(), cur), text, false);
        // Half the page (30 % names, 20 % amounts), the amounts' column wider when one needs it to stay on one line.
        float amounts = Math.max(20, widestTotal);
        t.setWidthPercentage(30 + amounts);
        t.setWidths(new float[] {30, amounts});
        return t;
    }

    private static boolean issued(CreditNote note, String type) {
        return type.equals(note.type()) && CreditNote.ISSUED.equals(note.status());
    }

    /** Where a credit note after payment sent its money, in a few words (its own PDF says it in full). */
    private static String givenTo(CreditNote note) {
        if (!"payment".equals(note.refundTo())) return "to balance";
        return note.refund() != null && Refund.PENDING.equals(note.refund().status()) ? "refund pending" : "refunded";
    }

    private Paragraph footer(Invoice invoice, InvoiceParties parties) {
        Paragraph p = new Paragraph();
        p.setLeading(11);
        String support = parties.supportEmail();
        if (support != null) {
            p.add(look.phrase("Questions about this invoice? Write to " + support + ".", text));
            p.add(PdfLook.newline(text));
        }
        p.add(look.phrase("Invoice " + invoice.id() + " · corrections to an issued invoice are made by credit note.", small));
        return p;
    }

    private void header(PdfPTable t, String name, int align) {
        PdfPCell c = look.cell(look.phrase(name, label), align);
        c.setBackgroundColor(PdfLook.SHADE);
        c.setPaddingTop(5);
        c.setPaddingBottom(6);
        c.setBorder(Rectangle.BOTTOM);
        c.setBorderColor(PdfLook.RULE);
        t.addCell(c);
    }

    private PdfPCell row(Phrase content, int align) {
        PdfPCell c = look.ruled(content, align);
        c.setLeading(0, 1.3f); // room between a line's text and its second row (key suffix, days)
        return c;
    }

    /** The share of the page's width the widest amount in the totals needs ({@link PdfLook#share}). */
    private float widestTotal;

    private void total(PdfPTable t, String name, String value, Font font, boolean ruled) {
        widestTotal = Math.max(widestTotal, PdfLook.share(font, List.of(value)));
        PdfPCell k = look.cell(look.phrase(name, font == text ? text : font), Element.ALIGN_LEFT);
        PdfPCell v = look.cell(look.phrase(value, font), Element.ALIGN_RIGHT);
        for (PdfPCell c : List.of(k, v)) {
            c.setPaddingTop(ruled ? 6 : 3);
            c.setPaddingBottom(ruled ? 6 : 3);
            if (ruled) {
                c.setBorder(Rectangle.TOP);
                c.setBorderColor(PdfLook.RULE);
            }
            t.addCell(c);
        }
    }

    /** A part of the total above it: indented, smaller and lighter, so that it does not read as one more amount to add up. */
    private void part(PdfPTable t, String name, String value) {
        PdfPCell k = look.cell(look.phrase(name, small), Element.ALIGN_LEFT);
        k.setPaddingLeft(14);
        PdfPCell v = look.cell(look.phrase(value, small), Element.ALIGN_RIGHT);
        for (PdfPCell c : List.of(k, v)) {
            c.setPaddingTop(0);
            c.setPaddingBottom(3);
            t.addCell(c);
        }
    }

    private static Color statusColor(InvoiceStatus status) {
        return switch (status) {
            case PAID -> new Color(0x1b, 0x7f, 0x3b);
            case OPEN -> new Color(0x1f, 0x4e, 0x9c);
            case VOID, UNCOLLECTIBLE -> new Color(0x9c, 0x1f, 0x1f);
            case DRAFT -> PdfLook.MUTED;
        };
    }
}

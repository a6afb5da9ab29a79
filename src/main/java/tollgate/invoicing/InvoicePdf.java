package tollgate.invoicing;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.openpdf.text.Chunk;
import org.openpdf.text.Document;
import org.openpdf.text.DocumentException;
import org.openpdf.text.Element;
import org.openpdf.text.Font;
import org.openpdf.text.PageSize;
import org.openpdf.text.Paragraph;
import org.openpdf.text.Phrase;
import org.openpdf.text.Rectangle;
import org.openpdf.text.pdf.BaseFont;
import org.openpdf.text.pdf.PdfPCell;
import org.openpdf.text.pdf.PdfPTable;
import org.openpdf.text.pdf.PdfWriter;
import tollgate.parties.Address;

/**
 * An invoice as a one-or-more-page A4 PDF: the seller and the buyer, the invoice's number, status, dates and
 * period, a table of lines, and the totals down to the amount due. Dates are in the account's time zone; amounts
 * use the currency's own decimals. Everything is set in Liberation Sans, embedded (bold is OpenPDF's stroked
 * simulation): what customers and tenants wrote prints in any Latin, Greek or Cyrillic letters, and every viewer
 * shows the same page, where Helvetica, which PDFs may leave out, would be replaced by whatever the viewer has.
 */
public final class InvoicePdf {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_MONTH = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
    private static final Color INK = new Color(0x22, 0x22, 0x22);
    private static final Color MUTED = new Color(0x6b, 0x6b, 0x6b);
    private static final Color RULE = new Color(0xd0, 0xd0, 0xd0);
    private static final Color SHADE = new Color(0xf3, 0xf3, 0xf3);

    private final Font text;
    private final Font small;
    private final Font label;
    private final Font strong;
    private final Font title;

    private InvoicePdf(byte[] logo) {
        this.logo = logo;
        BaseFont unicode = Fonts.UNICODE;
        this.text = new Font(unicode, 9, Font.NORMAL, INK);
        this.small = new Font(unicode, 7.5f, Font.NORMAL, MUTED);
        this.label = new Font(unicode, 7.5f, Font.NORMAL, MUTED);
        this.strong = new Font(unicode, 10, Font.BOLD, INK);
        this.title = new Font(unicode, 22, Font.BOLD, INK);
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
        return new InvoicePdf(logo).write(invoice, parties);
    }

    private final byte[] logo;

    private byte[] write(Invoice invoice, InvoiceParties parties) {
        ZoneId zone = ZoneId.of(parties.timezone());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, 48, 48, 48, 48);
        try {
            PdfWriter.getInstance(doc, out);
            doc.addTitle("Invoice " + Objects.requireNonNullElse(invoice.number(), "(draft)"));
            doc.addAuthor(parties.seller().name());
            doc.open();
            doc.add(heading(invoice, zone));
            doc.add(spacer(18));
            doc.add(parties(parties));
            doc.add(spacer(18));
            doc.add(lines(invoice, zone));
            doc.add(spacer(10));
            doc.add(totals(invoice));
            doc.add(spacer(24));
            doc.add(footer(invoice, parties));
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("cannot render invoice " + invoice.id(), e);
        }
        return out.toByteArray();
    }

    /** "Invoice" on the left; number, status and dates on the right. (The seller's name is under FROM.) */
    private PdfPTable heading(Invoice invoice, ZoneId zone) throws DocumentException {
        PdfPTable t = table(new float[] {50, 50});
        PdfPCell left = bare();
        org.openpdf.text.Image image = logoImage();
        if (image != null) {
            left.addElement(image);
            left.addElement(spacer(8));
        }
        left.addElement(new Paragraph("Invoice", title));
        t.addCell(left);

        PdfPTable facts = table(new float[] {42, 58});
        fact(facts, "Invoice number", Objects.requireNonNullElse(invoice.number(), "Draft"), strong);
        fact(facts, "Status", invoice.status().wire().toUpperCase(Locale.ROOT), new Font(Fonts.UNICODE, 10, Font.BOLD,
                statusColor(invoice.status())));
        fact(facts, "Issue date", invoice.issuedAt() == null ? "not issued" : day(invoice.issuedAt(), zone), text);
        fact(facts, "Billing period", period(invoice.periodStart(), invoice.periodEnd(), zone), text);
        fact(facts, "Currency", invoice.currency().toUpperCase(Locale.ROOT), text);
        PdfPCell right = bare();
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
        PdfPTable t = table(new float[] {50, 50});
        t.addCell(party("FROM", parties.seller()));
        t.addCell(party("BILL TO", parties.buyer()));
        return t;
    }

    /** Name, address, tax id, e-mail: each on its own line, the parts that are missing left out. */
    private PdfPCell party(String heading, InvoiceParties.Party p) {
        List<String> rows = new ArrayList<>();
        rows.add(p.name());
        rows.addAll(addressLines(p.address()));
        if (p.taxId() != null) rows.add("Tax ID: " + p.taxId());
        if (p.email() != null) rows.add(p.email());
        PdfPCell c = bare();
        c.addElement(new Paragraph(heading, label));
        Paragraph body = new Paragraph();
        body.setLeading(12);
        for (int i = 0; i < rows.size(); i++) {
            body.add(new Chunk(rows.get(i), i == 0 ? new Font(Fonts.UNICODE, 10, Font.NORMAL, INK) : text));
            if (i < rows.size() - 1) body.add(newline(text));
        }
        c.addElement(body);
        return c;
    }

    /** One row per line: what it is for (with the license key's suffix), the site, the period and days, quantity, amount. */
    private PdfPTable lines(Invoice invoice, ZoneId zone) throws DocumentException {
        PdfPTable t = table(new float[] {35, 22, 24, 7, 12});
        t.setHeaderRows(1);
        header(t, "DESCRIPTION", Element.ALIGN_LEFT);
        header(t, "SITE", Element.ALIGN_LEFT);
        header(t, "PERIOD", Element.ALIGN_LEFT);
        header(t, "QTY", Element.ALIGN_RIGHT);
        header(t, "AMOUNT", Element.ALIGN_RIGHT);
        for (Invoice.Line l : invoice.lines()) {
            Phrase what = new Phrase(l.description(), text);
            if (l.keySuffix() != null) {
                what.add(newline(small));
                what.add(new Chunk("License key …" + l.keySuffix(), small));
            }
            t.addCell(row(what, Element.ALIGN_LEFT));
            t.addCell(row(new Phrase(l.siteUrl() == null ? "" : l.siteUrl(), text), Element.ALIGN_LEFT));
            Phrase when = new Phrase(l.periodStart() == null ? "" : period(l.periodStart(), l.periodEnd(), zone), text);
            if (l.days() != null) {
                when.add(newline(small));
                when.add(new Chunk(l.days() + (l.days() == 1 ? " day" : " days"), small));
            }
            t.addCell(row(when, Element.ALIGN_LEFT));
            t.addCell(row(new Phrase(Long.toString(l.quantity()), text), Element.ALIGN_RIGHT));
            t.addCell(row(new Phrase(AmountFormat.plain(l.amount(), invoice.currency()), text), Element.ALIGN_RIGHT));
        }
        return t;
    }

    /** Subtotal down to the amount due, right-aligned under the amounts. */
    private PdfPTable totals(Invoice invoice) throws DocumentException {
        String cur = invoice.currency();
        PdfPTable t = table(new float[] {60, 40});
        t.setWidthPercentage(50);
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
        if (invoice.appliedBalance() > 0)
            total(t, "Applied from balance", AmountFormat.plain(invoice.appliedBalance(), cur), text, false);
        total(t, "Amount due", AmountFormat.withCode(invoice.amountDue(), cur), new Font(Fonts.UNICODE, 12, Font.BOLD, INK), true);
        return t;
    }

    private Paragraph footer(Invoice invoice, InvoiceParties parties) {
        Paragraph p = new Paragraph();
        p.setLeading(11);
        String support = parties.supportEmail();
        if (support != null) {
            p.add(new Chunk("Questions about this invoice? Write to " + support + ".", text));
            p.add(newline(text));
        }
        p.add(new Chunk("Invoice " + invoice.id() + " · corrections to an issued invoice are made by credit note.", small));
        return p;
    }

    // ---- pieces ----

    /** A label and its value on one baseline, though their sizes differ. */
    private void fact(PdfPTable t, String name, String value, Font font) {
        PdfPCell k = cell(new Phrase(name, label), Element.ALIGN_RIGHT);
        k.setPaddingRight(8);
        // Cells align tops, not baselines: lower the smaller label by the difference in size.
        k.setPaddingTop(2 + 0.8f * (font.getSize() - label.getSize()));
        t.addCell(k);
        t.addCell(cell(new Phrase(value, font), Element.ALIGN_LEFT));
    }

    private void header(PdfPTable t, String name, int align) {
        PdfPCell c = cell(new Phrase(name, label), align);
        c.setBackgroundColor(SHADE);
        c.setPaddingTop(5);
        c.setPaddingBottom(6);
        c.setBorder(Rectangle.BOTTOM);
        c.setBorderColor(RULE);
        t.addCell(c);
    }

    private PdfPCell row(Phrase content, int align) {
        PdfPCell c = cell(content, align);
        // room between a line's text and its second row (key suffix, days)
        c.setLeading(0, 1.3f);
        c.setPaddingTop(6);
        c.setPaddingBottom(7);
        c.setBorder(Rectangle.BOTTOM);
        c.setBorderColor(RULE);
        return c;
    }

    private void total(PdfPTable t, String name, String value, Font font, boolean ruled) {
        PdfPCell k = cell(new Phrase(name, font == text ? text : font), Element.ALIGN_LEFT);
        PdfPCell v = cell(new Phrase(value, font), Element.ALIGN_RIGHT);
        for (PdfPCell c : List.of(k, v)) {
            c.setPaddingTop(ruled ? 6 : 3);
            c.setPaddingBottom(ruled ? 6 : 3);
            if (ruled) {
                c.setBorder(Rectangle.TOP);
                c.setBorderColor(RULE);
            }
            t.addCell(c);
        }
    }

    private static PdfPTable table(float[] widths) throws DocumentException {
        PdfPTable t = new PdfPTable(widths.length);
        t.setWidths(widths);
        t.setWidthPercentage(100);
        return t;
    }

    private static PdfPCell cell(Phrase content, int align) {
        PdfPCell c = new PdfPCell(content);
        c.setBorder(Rectangle.NO_BORDER);
        c.setHorizontalAlignment(align);
        c.setPadding(2);
        c.setPaddingLeft(4);
        c.setPaddingRight(4);
        return c;
    }

    private static PdfPCell bare() {
        PdfPCell c = new PdfPCell();
        c.setBorder(Rectangle.NO_BORDER);
        c.setPadding(0);
        return c;
    }

    /** A line break in our font (Chunk.NEWLINE would bring in Helvetica, which is not embedded). */
    private static Chunk newline(Font font) {
        return new Chunk("\n", font);
    }

    private Paragraph spacer(float height) {
        Paragraph p = new Paragraph(" ", text);
        p.setLeading(height);
        return p;
    }

    private static Color statusColor(InvoiceStatus status) {
        return switch (status) {
            case PAID -> new Color(0x1b, 0x7f, 0x3b);
            case OPEN -> new Color(0x1f, 0x4e, 0x9c);
            case VOID, UNCOLLECTIBLE -> new Color(0x9c, 0x1f, 0x1f);
            case DRAFT -> MUTED;
        };
    }

    /** Street lines, then "postal code city", state, and the country's English name. */
    static List<String> addressLines(Address a) {
        List<String> out = new ArrayList<>();
        if (a == null) return out;
        if (a.line1() != null) out.add(a.line1());
        if (a.line2() != null) out.add(a.line2());
        String city = String.join(" ", java.util.stream.Stream.of(a.postalCode(), a.city()).filter(Objects::nonNull).toList());
        if (!city.isBlank()) out.add(city);
        if (a.state() != null) out.add(a.state());
        if (a.country() != null) out.add(Locale.of("", a.country()).getDisplayCountry(Locale.ENGLISH));
        return out;
    }

    static String day(Instant at, ZoneId zone) {
        return DAY.format(at.atZone(zone));
    }

    /**
     * Periods are half-open [start, end); people read them by their first and last day, and without repeating
     * the month or year they share: "1 – 31 Mar 2026", "17 Mar – 5 Apr 2026", "20 Dec 2025 – 19 Jan 2026".
     */
    static String period(Instant start, Instant end, ZoneId zone) {
        java.time.LocalDate first = start.atZone(zone).toLocalDate();
        if (end == null || !end.isAfter(start)) return DAY.format(first);
        java.time.LocalDate last = end.minusMillis(1).atZone(zone).toLocalDate();
        if (first.equals(last)) return DAY.format(first);
        String from = first.getYear() != last.getYear() ? DAY.format(first)
                : first.getMonth() != last.getMonth() ? DAY_MONTH.format(first)
                : Integer.toString(first.getDayOfMonth());
        return from + " – " + DAY.format(last);
    }

    /** The embedded Unicode font, read once from OpenPDF's own jar. */
    static final class Fonts {
        static final BaseFont UNICODE = load("font-fallback/LiberationSans-Regular.ttf");

        private static BaseFont load(String resource) {
            try (InputStream in = InvoicePdf.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) throw new IllegalStateException(resource + " is missing from the class path");
                return BaseFont.createFont("LiberationSans-Regular.ttf", BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true,
                        in.readAllBytes(), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (DocumentException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

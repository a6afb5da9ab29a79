package tollgate.invoicing;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openpdf.text.Chunk;
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
 * A credit note as an A4 PDF, in the invoice's look (decision 021): its number, status, date and the invoice it
 * corrects; both companies as the invoice printed them; what it credits (each line, or the whole amount); and where the
 * money went: off what was due, back to the payment method, or onto the account's balance.
 */
public final class CreditNotePdf {
    private static final Color INK = new Color(0x22, 0x22, 0x22);
    private static final Color MUTED = new Color(0x6b, 0x6b, 0x6b);
    private static final Color RULE = new Color(0xd0, 0xd0, 0xd0);

    private final Font text = new Font(InvoicePdf.Fonts.UNICODE, 9, Font.NORMAL, INK);
    private final Font label = new Font(InvoicePdf.Fonts.UNICODE, 7.5f, Font.NORMAL, MUTED);
    private final Font strong = new Font(InvoicePdf.Fonts.UNICODE, 10, Font.BOLD, INK);
    private final Font title = new Font(InvoicePdf.Fonts.UNICODE, 22, Font.BOLD, INK);

    private CreditNotePdf() {}

    /** The PDF of {@code note}, which corrects {@code invoice}, between the invoice's {@code parties}. */
    public static byte[] render(CreditNote note, Invoice invoice, InvoiceParties parties) {
        return new CreditNotePdf().write(note, invoice, parties);
    }

    private byte[] write(CreditNote note, Invoice invoice, InvoiceParties parties) {
        ZoneId zone = ZoneId.of(parties.timezone());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, 48, 48, 48, 48);
        try {
            PdfWriter.getInstance(doc, out);
            doc.addTitle("Credit note " + note.number());
            doc.addAuthor(parties.seller().name());
            doc.open();
            PdfPTable head = table(new float[] {50, 50});
            PdfPCell left = bare();
            left.addElement(new Paragraph("Credit note", title));
            head.addCell(left);
            PdfPTable facts = table(new float[] {42, 58});
            fact(facts, "Credit note number", note.number(), strong);
            fact(facts, "Status", note.status().toUpperCase(Locale.ROOT), strong);
            fact(facts, "Date", InvoicePdf.day(note.createdAt(), zone), text);
            fact(facts, "Invoice", invoice.number() == null ? invoice.id() : invoice.number(), text);
            fact(facts, "Currency", note.currency().toUpperCase(Locale.ROOT), text);
            PdfPCell right = bare();
            right.addElement(facts);
            head.addCell(right);
            doc.add(head);
            doc.add(spacer(18));
            PdfPTable who = table(new float[] {50, 50});
            who.addCell(party("FROM", parties.seller()));
            who.addCell(party("CREDIT TO", parties.buyer()));
            doc.add(who);
            doc.add(spacer(18));
            doc.add(lines(note, invoice));
            doc.add(spacer(10));
            doc.add(totals(note));
            doc.add(spacer(24));
            Paragraph foot = new Paragraph();
            if (note.reason() != null) {
                foot.add(new Chunk("Reason: " + note.reason(), text));
                foot.add(new Chunk("\n", text));
            }
            foot.add(new Chunk("Credit note " + note.id() + " · corrects invoice " + invoice.id() + ".", label));
            doc.add(foot);
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("cannot render credit note " + note.id(), e);
        }
        return out.toByteArray();
    }

    /** Each invoice line it credits with the amount taken off, or one row for a credit of a whole amount. */
    private PdfPTable lines(CreditNote note, Invoice invoice) throws DocumentException {
        PdfPTable t = table(new float[] {80, 20});
        t.setHeaderRows(1);
        t.addCell(ruled(new Phrase("DESCRIPTION", label), Element.ALIGN_LEFT));
        t.addCell(ruled(new Phrase("AMOUNT", label), Element.ALIGN_RIGHT));
        if (note.lines().isEmpty()) {
            t.addCell(ruled(new Phrase("Credit of invoice " + (invoice.number() == null ? invoice.id() : invoice.number()), text),
                    Element.ALIGN_LEFT));
            t.addCell(ruled(new Phrase(AmountFormat.plain(note.amount(), note.currency()), text), Element.ALIGN_RIGHT));
        }
        for (CreditNote.Line l : note.lines()) {
            t.addCell(ruled(new Phrase(l.description(), text), Element.ALIGN_LEFT));
            t.addCell(ruled(new Phrase(AmountFormat.plain(l.amount(), note.currency()), text), Element.ALIGN_RIGHT));
        }
        return t;
    }

    /** The total, and where it went. */
    private PdfPTable totals(CreditNote note) throws DocumentException {
        String cur = note.currency();
        PdfPTable t = table(new float[] {60, 40});
        t.setWidthPercentage(55);
        t.setHorizontalAlignment(Element.ALIGN_RIGHT);
        t.addCell(cell(new Phrase("Total credited", strong), Element.ALIGN_LEFT));
        t.addCell(cell(new Phrase(AmountFormat.withCode(note.amount(), cur), strong), Element.ALIGN_RIGHT));
        String where = note.refundTo() == null ? "Off the amount due"
                : "payment".equals(note.refundTo()) ? refunded(note) : "Credited to account balance";
        t.addCell(cell(new Phrase(where, text), Element.ALIGN_LEFT));
        t.addCell(cell(new Phrase(AmountFormat.plain(note.amount(), cur), text), Element.ALIGN_RIGHT));
        return t;
    }

    private static String refunded(CreditNote note) {
        if (note.refund() == null) return "Refunded to payment method";
        return switch (note.refund().status()) {
            case Refund.SUCCEEDED -> "Refunded to payment method";
            case Refund.FAILED -> "Refund failed: nothing refunded";
            default -> "Refund to payment method (pending)";
        };
    }

    private PdfPCell party(String heading, InvoiceParties.Party p) {
        List<String> rows = new ArrayList<>();
        rows.add(p.name());
        rows.addAll(InvoicePdf.addressLines(p.address()));
        if (p.taxId() != null) rows.add("Tax ID: " + p.taxId());
        if (p.email() != null) rows.add(p.email());
        PdfPCell c = bare();
        c.addElement(new Paragraph(heading, label));
        Paragraph body = new Paragraph();
        body.setLeading(12);
        for (int i = 0; i < rows.size(); i++) {
            body.add(new Chunk(rows.get(i), text));
            if (i < rows.size() - 1) body.add(new Chunk("\n", text));
        }
        c.addElement(body);
        return c;
    }

    private void fact(PdfPTable t, String name, String value, Font font) {
        PdfPCell k = cell(new Phrase(name, label), Element.ALIGN_RIGHT);
        k.setPaddingRight(8);
        k.setPaddingTop(2 + 0.8f * (font.getSize() - label.getSize()));
        t.addCell(k);
        t.addCell(cell(new Phrase(value, font), Element.ALIGN_LEFT));
    }

    private static PdfPCell ruled(Phrase content, int align) {
        PdfPCell c = cell(content, align);
        c.setPaddingTop(6);
        c.setPaddingBottom(7);
        c.setBorder(Rectangle.BOTTOM);
        c.setBorderColor(RULE);
        return c;
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
        c.setPadding(3);
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

    private Paragraph spacer(float height) {
        Paragraph p = new Paragraph(" ", text);
        p.setLeading(height);
        return p;
    }
}

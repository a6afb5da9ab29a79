package tollgate.invoicing;

import java.io.ByteArrayOutputStream;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.openpdf.text.Document;
import org.openpdf.text.DocumentException;
import org.openpdf.text.Element;
import org.openpdf.text.Font;
import org.openpdf.text.PageSize;
import org.openpdf.text.Paragraph;
import org.openpdf.text.Phrase;
import org.openpdf.text.pdf.PdfPCell;
import org.openpdf.text.pdf.PdfPTable;
import org.openpdf.text.pdf.PdfWriter;

/**
 * A credit note as an A4 PDF, in the invoice's look (decision 021): its number, status, date and the invoice it
 * corrects; both companies as the invoice printed them; what it credits (each line, or the whole amount); and where the
 * money went: off what was due, back to the payment method, or onto the account's balance.
 */
public final class CreditNotePdf {
    private final PdfLook look;
    private final Font text;
    private final Font label;
    private final Font strong;

    private CreditNotePdf(PdfFonts fonts) {
        look = new PdfLook(3, fonts);
        text = look.text;
        label = look.label;
        strong = look.strong;
    }

    /** The PDF of {@code note}, which corrects {@code invoice}, between the invoice's {@code parties}. */
    public static byte[] render(CreditNote note, Invoice invoice, InvoiceParties parties) {
        return render(note, invoice, parties, PdfFonts.BUILT_IN);
    }

    /** With {@code fonts} for the characters Liberation Sans lacks (decision 088). */
    public static byte[] render(CreditNote note, Invoice invoice, InvoiceParties parties, PdfFonts fonts) {
        CreditNotePdf pdf = new CreditNotePdf(fonts);
        byte[] fingerprint = PdfLook.fingerprint(note.id());
        byte[] bytes = PdfFonts.tagged(fingerprint, () -> pdf.write(note, invoice, parties, fingerprint));
        pdf.look.reportMissing("credit note " + note.id());
        return bytes;
    }

    /** Dated by the note's creation, with an /ID from its {@code fingerprint}: the same note writes the same bytes each time. */
    private byte[] write(CreditNote note, Invoice invoice, InvoiceParties parties, byte[] fingerprint) {
        ZoneId zone = ZoneId.of(parties.timezone());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, PdfLook.MARGIN, PdfLook.MARGIN, PdfLook.MARGIN, PdfLook.MARGIN);
        try {
            PdfWriter writer = PdfWriter.getInstance(doc, out);
            writer.setPageEvent(PdfLook.pageFooter("Credit note " + note.number()));
            PdfLook.identify(writer, fingerprint, note.createdAt());
            doc.addTitle("Credit note " + note.number());
            doc.addAuthor(parties.seller().name());
            doc.open();
            PdfPTable head = PdfLook.table(new float[] {50, 50});
            PdfPCell left = PdfLook.bare();
            left.addElement(new Paragraph("Credit note", look.title));
            head.addCell(left);
            PdfPTable facts = PdfLook.table(new float[] {42, 58});
            look.fact(facts, "Credit note number", note.number(), strong);
            look.fact(facts, "Status", note.status().toUpperCase(Locale.ROOT), strong);
            look.fact(facts, "Date", PdfLook.day(note.createdAt(), zone), text);
            look.fact(facts, "Invoice", invoice.number() == null ? invoice.id() : invoice.number(), text);
            look.fact(facts, "Currency", note.currency().toUpperCase(Locale.ROOT), text);
            PdfPCell right = PdfLook.bare();
            right.addElement(facts);
            head.addCell(right);
            doc.add(head);
            doc.add(look.spacer(18));
            PdfPTable who = PdfLook.table(new float[] {50, 50});
            who.addCell(look.party("FROM", parties.seller()));
            who.addCell(look.party("CREDIT TO", parties.buyer()));
            doc.add(who);
            doc.add(look.spacer(18));
            doc.add(lines(note, invoice));
            doc.add(look.spacer(10));
            doc.add(totals(note));
            doc.add(look.spacer(24));
            Paragraph foot = new Paragraph();
            if (note.reason() != null) {
                foot.add(look.phrase("Reason: " + note.reason(), text));
                foot.add(PdfLook.newline(text));
            }
            foot.add(look.phrase("Credit note " + note.id() + " · corrects invoice " + invoice.id() + ".", label));
            doc.add(foot);
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("cannot render credit note " + note.id(), e);
        }
        return out.toByteArray();
    }

    /** Each invoice line it credits with the amount taken off, or one row for a credit of a whole amount. */
    private PdfPTable lines(CreditNote note, Invoice invoice) throws DocumentException {
        List<String> amounts = note.lines().isEmpty() ? List.of(AmountFormat.plain(note.amount(), note.currency()))
                : note.lines().stream().map(l -> AmountFormat.plain(l.amount(), note.currency())).toList();
        float amount = Math.max(20, PdfLook.share(text, amounts)); // the amounts on one line however long
        PdfPTable t = PdfLook.table(new float[] {100 - amount, amount});
        t.setHeaderRows(1);
        t.addCell(look.ruled(look.phrase("DESCRIPTION", label), Element.ALIGN_LEFT));
        t.addCell(look.ruled(look.phrase("AMOUNT", label), Element.ALIGN_RIGHT));
        if (note.lines().isEmpty()) {
            t.addCell(look.ruled(look.phrase("Credit of invoice " + (invoice.number() == null ? invoice.id() : invoice.number()), text),
                    Element.ALIGN_LEFT));
            t.addCell(look.ruled(look.phrase(AmountFormat.plain(note.amount(), note.currency()), text), Element.ALIGN_RIGHT));
        }
        for (CreditNote.Line l : note.lines()) {
            t.addCell(look.ruled(look.phrase(l.description(), text), Element.ALIGN_LEFT));
            t.addCell(look.ruled(look.phrase(AmountFormat.plain(l.amount(), note.currency()), text), Element.ALIGN_RIGHT));
        }
        return t;
    }

    /** The total, and where it went. */
    private PdfPTable totals(CreditNote note) throws DocumentException {
        String cur = note.currency();
        String total = AmountFormat.withCode(note.amount(), cur);
        // 55 % of the page (33 % names, 22 % amounts), the amounts' column wider when the total needs it to stay on one line.
        float amounts = Math.max(22, PdfLook.share(strong, List.of(total)));
        PdfPTable t = PdfLook.table(new float[] {33, amounts});
        t.setWidthPercentage(33 + amounts);
        t.setHorizontalAlignment(Element.ALIGN_RIGHT);
        t.addCell(look.cell(look.phrase("Total credited", strong), Element.ALIGN_LEFT));
        t.addCell(look.cell(look.phrase(total, strong), Element.ALIGN_RIGHT));
        String where = note.refundTo() == null ? "Off the amount due"
                : "payment".equals(note.refundTo()) ? refunded(note) : "Credited to account balance";
        t.addCell(look.cell(look.phrase(where, text), Element.ALIGN_LEFT));
        t.addCell(look.cell(look.phrase(AmountFormat.plain(note.amount(), cur), text), Element.ALIGN_RIGHT));
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
}

package tollgate.invoicing;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.GregorianCalendar;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.openpdf.text.Chunk;
import org.openpdf.text.Document;
import org.openpdf.text.DocumentException;
import org.openpdf.text.Element;
import org.openpdf.text.Font;
import org.openpdf.text.PageSize;
import org.openpdf.text.Paragraph;
import org.openpdf.text.Phrase;
import org.openpdf.text.Rectangle;
import org.openpdf.text.pdf.PdfContentByte;
import org.openpdf.text.pdf.PdfDate;
import org.openpdf.text.pdf.PdfDictionary;
import org.openpdf.text.pdf.PdfEncryption;
import org.openpdf.text.pdf.PdfName;
import org.openpdf.text.pdf.PdfPCell;
import org.openpdf.text.pdf.PdfPTable;
import org.openpdf.text.pdf.PdfPageEvent;
import org.openpdf.text.pdf.PdfPageEventHelper;
import org.openpdf.text.pdf.PdfTemplate;
import org.openpdf.text.pdf.PdfWriter;
import tollgate.parties.Address;

/**
 * The look invoices and credit notes share (decision 021): Liberation Sans, embedded (bold is OpenPDF's stroked
 * simulation), so that what customers and tenants wrote prints in any Latin, Greek or Cyrillic letters and every viewer
 * shows the same page, with the operator's fall-back fonts for other scripts ({@link PdfFonts}, decision 088); the colours and sizes; and the pieces both are built of — tables, cells, a label beside its
 * value, a party's block, dates. One per document being written: its fonts are mutable objects.
 */
final class PdfLook {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PdfLook.class);
    static final Color INK = new Color(0x22, 0x22, 0x22);
    static final Color MUTED = new Color(0x6b, 0x6b, 0x6b);
    static final Color RULE = new Color(0xd0, 0xd0, 0xd0);
    static final Color SHADE = new Color(0xf3, 0xf3, 0xf3);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_MONTH = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    /** The page's margins, all four. */
    static final float MARGIN = 48;
    /** The width between the margins, which a table across the page fills. */
    private static final float WIDTH = PageSize.A4.getWidth() - 2 * MARGIN;

    final Font text = font(9, Font.NORMAL, INK);
    final Font small = font(7.5f, Font.NORMAL, MUTED);
    final Font label = font(7.5f, Font.NORMAL, MUTED);
    final Font strong = font(10, Font.BOLD, INK);
    final Font title = font(22, Font.BOLD, INK);
    /** A party's name, the first line of its block. */
    private final Font name = font(10, Font.NORMAL, INK);
    /** The space around a cell's content above and below (4 pt left and right). */
    private final float cellPadding;
    private final PdfFonts fonts;
    /** The characters this document printed as a white square, no font having them. */
    private final Set<Integer> missing = new HashSet<>();

    PdfLook(float cellPadding, PdfFonts fonts) {
        this.cellPadding = cellPadding;
        this.fonts = fonts;
    }

    /** The embedded font at {@code size}, in {@code style} and {@code color}. */
    static Font font(float size, int style, Color color) {
        return new Font(PdfFonts.primary(), size, style, color);
    }

    /** {@code text} in {@code font}, with the fall-back fonts for the characters it lacks ({@link PdfFonts}). */
    Phrase phrase(String text, Font font) {
        return fonts.phrase(text, font, missing);
    }

    /** What this document printed without a glyph, as "U+4E2D U+6587"; empty when nothing. */
    String missing() {
        return PdfFonts.codePoints(missing);
    }

    /** One line for the operator when this look's {@code document} printed a character as a white square. */
    void reportMissing(String document) {
        if (missing.isEmpty()) return;
        log.warn("{} printed {} as white squares: no font has them; add a font that does to TOLLGATE_PDF_FONTS", document, missing());
    }

    /** 16 bytes that stand for the document {@code id} (an invoice's, a credit note's): its PDF's /ID and its font subsets' tags. */
    static byte[] fingerprint(String id) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The same document writes the same bytes each time its content is the same: dated {@code dated} (an invoice's issue, a
     * draft's creation, a credit note's date; undated when null) instead of by the server's clock, and with an /ID from
     * its {@code fingerprint} instead of a random one (with {@link PdfFonts#tagged} for the font subsets' tags).
     */
    static void identify(PdfWriter writer, byte[] fingerprint, Instant dated) {
        PdfDictionary info = writer.getInfo();
        if (dated == null) info.remove(PdfName.CREATIONDATE);
        else info.put(PdfName.CREATIONDATE, new PdfDate(GregorianCalendar.from(dated.atZone(ZoneOffset.UTC))));
        // OpenPDF writes the info's FileId as the trailer's /ID (and leaves it in the info, where readers ignore it).
        info.put(PdfName.FILEID, PdfEncryption.createInfoId(fingerprint, fingerprint));
    }

    /** {@code document} ("Invoice INV-000042") and "Page n of m" at the foot of every page: a page on its own says whose it is. */
    static PdfPageEvent pageFooter(String document) {
        return new PageFooter(document);
    }

    /**
     * The footer under the bottom margin: the document's name on the left, "Page n of m" on the right. m is known only
     * when the document closes, so each page shows a template of its own that is written then.
     */
    private static final class PageFooter extends PdfPageEventHelper {
        private static final float SIZE = 7.5f;
        private static final float WIDTH = 100;
        private final String document;
        private final List<PdfTemplate> pages = new ArrayList<>();

        PageFooter(String document) {
            this.document = document;
        }

        @Override
        public void onEndPage(PdfWriter writer, Document doc) {
            PdfContentByte page = writer.getDirectContent();
            float baseline = doc.bottom() - 24;
            write(page, Element.ALIGN_LEFT, document, doc.left(), baseline);
            PdfTemplate number = page.createTemplate(WIDTH, 2 * SIZE);
            page.addTemplate(number, doc.right() - WIDTH, baseline - SIZE / 2); // room for descenders in the template
            pages.add(number);
        }

        @Override
        public void onCloseDocument(PdfWriter writer, Document doc) {
            for (int i = 0; i < pages.size(); i++)
                write(pages.get(i), Element.ALIGN_RIGHT, "Page " + (i + 1) + " of " + pages.size(), WIDTH, SIZE / 2);
        }

        private static void write(PdfContentByte to, int align, String text, float x, float baseline) {
            to.beginText();
            to.setFontAndSize(PdfFonts.primary(), SIZE);
            to.setColorFill(MUTED);
            to.showTextAligned(align, text, x, baseline, 0);
            to.endText();
        }
    }

    /**
     * The share of the page's width, in percent, that a column needs to show {@code texts} in {@code font} each on one
     * line: the widest, its cell's padding, and a point for simulated bold. Columns of amounts are widened to it, so that
     * a 15-digit amount does not wrap ("USD" above "4,999,999.95", or "9,999,999,9" above "99,999.99").
     */
    static float share(Font font, List<String> texts) {
        float widest = 0;
        for (String t : texts) widest = Math.max(widest, PdfFonts.primary().getWidthPoint(t, font.getSize()));
        return (widest + 8 + 1) / WIDTH * 100;
    }

    /** A table across the page, its columns in these proportions. */
    static PdfPTable table(float[] widths) throws DocumentException {
        PdfPTable t = new PdfPTable(widths.length);
        t.setWidths(widths);
        t.setWidthPercentage(100);
        return t;
    }

    PdfPCell cell(Phrase content, int align) {
        PdfPCell c = new PdfPCell(content);
        c.setRunDirection(PdfWriter.RUN_DIRECTION_LTR);
        c.setBorder(Rectangle.NO_BORDER);
        c.setHorizontalAlignment(align);
        c.setPadding(cellPadding);
        c.setPaddingLeft(4);
        c.setPaddingRight(4);
        return c;
    }

    /** A row of a table of lines: room above and below, a rule under it. */
    PdfPCell ruled(Phrase content, int align) {
        PdfPCell c = cell(content, align);
        c.setPaddingTop(6);
        c.setPaddingBottom(7);
        c.setBorder(Rectangle.BOTTOM);
        c.setBorderColor(RULE);
        return c;
    }

    /** A cell that only holds other elements. */
    static PdfPCell bare() {
        PdfPCell c = new PdfPCell();
        c.setRunDirection(PdfWriter.RUN_DIRECTION_LTR);
        c.setBorder(Rectangle.NO_BORDER);
        c.setPadding(0);
        return c;
    }

    /** A line break in our font (Chunk.NEWLINE would bring in Helvetica, which is not embedded). */
    static Chunk newline(Font font) {
        return new Chunk("\n", font);
    }

    Paragraph spacer(float height) {
        Paragraph p = new Paragraph(" ", text);
        p.setLeading(height);
        return p;
    }

    /** A label and its value on one baseline, though their sizes differ. */
    void fact(PdfPTable t, String name, String value, Font font) {
        PdfPCell k = cell(phrase(name, label), Element.ALIGN_RIGHT);
        k.setPaddingRight(8);
        // Cells align tops, not baselines: lower the smaller label by the difference in size.
        k.setPaddingTop(2 + 0.8f * (font.getSize() - label.getSize()));
        t.addCell(k);
        t.addCell(cell(phrase(value, font), Element.ALIGN_LEFT));
    }

    /** Name, address, tax id, e-mail under {@code heading}: each on its own line, the parts that are missing left out. */
    PdfPCell party(String heading, InvoiceParties.Party p) {
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
            body.add(phrase(rows.get(i), i == 0 ? name : text));
            if (i < rows.size() - 1) body.add(newline(text));
        }
        c.addElement(body);
        return c;
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
}

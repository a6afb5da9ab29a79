package tollgate.invoicing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.openpdf.text.Chunk;
import org.openpdf.text.Font;
import org.openpdf.text.Phrase;
import org.openpdf.text.pdf.BaseFont;

/**
 * The fonts invoices and credit notes print with (decision 088): Liberation Sans, embedded, for Latin, Greek and
 * Cyrillic; then, for each character it lacks, the first of the operator's fall-back fonts that has it
 * ({@code TOLLGATE_PDF_FONTS}: TrueType or OpenType files, a collection's first face), each embedded with only the
 * glyphs a document uses. A character no font has prints as a white square, U+25A1 (what browsers show), where it
 * used to vanish: a company name must not lose letters without a trace. Shared by every document; what a document printed
 * without a glyph is counted by its {@link PdfLook}.
 */
public final class PdfFonts {
    /** Liberation Sans alone: what a server without {@code TOLLGATE_PDF_FONTS} prints with. */
    public static final PdfFonts BUILT_IN = new PdfFonts(List.of());
    /** U+25A1, the white square: the "tofu" a browser shows for a character no font has (Liberation Sans has no U+FFFD). */
    static final int STAND_IN = 0x25A1;

    /** Liberation Sans, read from OpenPDF's jar when a PDF first needs it, not at start (decision 004's fast start). */
    private static final class Primary {
        static final BaseFont FONT = builtIn("font-fallback/LiberationSans-Regular.ttf");
    }

    /**
     * Where every font takes its subsets' tags from (the "ABCDEF" of "ABCDEF+LiberationSans", which OpenPDF draws at random
     * each time a document is written): the document's own seed, so that it writes the same bytes each time. The fonts are
     * shared by every document, so the seed is the writing thread's while {@link #tagged} runs; without one, a fresh random.
     */
    private static final class SubsetTags extends SecureRandom {
        static final SubsetTags FOR_EVERY_FONT = new SubsetTags();
        private static final ThreadLocal<Random> WRITING = new ThreadLocal<>();

        @Override
        public double nextDouble() {
            Random document = WRITING.get();
            return document == null ? super.nextDouble() : document.nextDouble();
        }
    }

    /** {@code write} with the font subsets' tags drawn from {@code fingerprint} (a document's, {@link PdfLook#fingerprint}). */
    static <T> T tagged(byte[] fingerprint, Supplier<T> write) {
        SubsetTags.WRITING.set(new Random(ByteBuffer.wrap(fingerprint).getLong()));
        try {
            return write.get();
        } finally {
            SubsetTags.WRITING.remove();
        }
    }

    /** The fall-backs in the order given; font 0 is the primary. */
    private final List<BaseFont> fallbacks;
    private final List<String> names;

    private PdfFonts(List<Path> files) {
        List<BaseFont> read = new ArrayList<>();
        List<String> named = new ArrayList<>(List.of("Liberation Sans"));
        for (Path file : files) {
            read.add(read(file));
            named.add(file.getFileName().toString());
        }
        this.fallbacks = List.copyOf(read);
        this.names = List.copyOf(named);
    }

    private BaseFont font(int index) {
        return index == 0 ? Primary.FONT : fallbacks.get(index - 1);
    }

    /**
     * Liberation Sans, then these files in this order. A file that is missing or is not a font is refused here, at
     * start, with its name: an invoice is not the place to find out.
     */
    public static PdfFonts withFallbacks(List<Path> files) {
        return files.isEmpty() ? BUILT_IN : new PdfFonts(files);
    }

    /** The fonts' names, the primary first, for the start's log line. */
    public List<String> names() {
        return names;
    }

    /** The primary font, for text of Tollgate's own (labels, dates, amounts). */
    static BaseFont primary() {
        return Primary.FONT;
    }

    /**
     * {@code text} in {@code like}'s size, style and colour, each run of characters in the first font that has them.
     * Spaces and line breaks stay in the run they are in. Invisible format characters no font has (a variation selector, a zero-width
     * joiner) are left out; any other character no font has becomes {@link #STAND_IN} and is added to {@code missing}.
     */
    Phrase phrase(String text, Font like, Set<Integer> missing) {
        Phrase out = new Phrase(Float.NaN, "", like);
        if (text == null || text.isEmpty()) return out;
        StringBuilder run = new StringBuilder();
        int runFont = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int f = fontOf(cp, runFont);
            if (f < 0) {
                if (invisible(cp)) continue;
                missing.add(cp);
                cp = STAND_IN;
                f = 0;
            }
            if (f != runFont && !run.isEmpty()) {
                out.add(new Chunk(run.toString(), in(runFont, like)));
                run.setLength(0);
            }
            runFont = f;
            run.appendCodePoint(cp);
        }
        if (!run.isEmpty()) out.add(new Chunk(run.toString(), in(runFont, like)));
        return out;
    }

    /** The first font with {@code cp}, the running one first for a space; -1 when none has it. */
    private int fontOf(int cp, int running) {
        if (cp == '\n' || cp == '\r') return running;
        if (Character.isSpaceChar(cp) && font(running).charExists(cp)) return running;
        for (int f = 0; f <= fallbacks.size(); f++)
            if (font(f).charExists(cp)) return f;
        return -1;
    }

    private static boolean invisible(int cp) {
        return Character.getType(cp) == Character.FORMAT || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
    }

    private Font in(int font, Font like) {
        return font == 0 ? like : new Font(font(font), like.getSize(), like.getStyle(), like.getColor());
    }

    /** "U+4E2D U+6587", for a log line. */
    static String codePoints(Set<Integer> cps) {
        StringBuilder s = new StringBuilder();
        for (int cp : new TreeSet<>(cps)) {
            if (!s.isEmpty()) s.append(' ');
            s.append(String.format(Locale.ROOT, "U+%04X", cp));
        }
        return s.toString();
    }

    private static BaseFont read(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".ttf") && !lower.endsWith(".otf") && !lower.endsWith(".ttc"))
            throw new IllegalArgumentException("TOLLGATE_PDF_FONTS: " + file + " is not a .ttf, .otf or .ttc font file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("TOLLGATE_PDF_FONTS: cannot read " + file + " (" + e.getMessage() + ")");
        }
        try {
            // OpenPDF names a collection's face by its index after a comma; the file's bytes are passed as they are.
            BaseFont font = BaseFont.createFont(lower.endsWith(".ttc") ? name + ",0" : name, BaseFont.IDENTITY_H, BaseFont.EMBEDDED,
                    false, bytes, null);
            font.setSecureRandom(SubsetTags.FOR_EVERY_FONT);
            return font;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("TOLLGATE_PDF_FONTS: " + file + " is not a font OpenPDF can embed (" + e.getMessage() + ")");
        }
    }

    private static BaseFont builtIn(String resource) {
        try (InputStream in = PdfFonts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the class path");
            BaseFont font = BaseFont.createFont("LiberationSans-Regular.ttf", BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true,
                    in.readAllBytes(), null);
            font.setSecureRandom(SubsetTags.FOR_EVERY_FONT);
            return font;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

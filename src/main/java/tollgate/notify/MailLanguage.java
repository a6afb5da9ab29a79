package tollgate.notify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every message of one language, read from {@code /email/<language>.mail} and compiled once: its phrases (date
 * patterns, decline reasons, what a dunning step does) and each message's subject, text and HTML, wrapped in the
 * layout. Another language is another file, not more code.
 */
public final class MailLanguage {
    /** A rendered message: the subject and both parts, laid out. */
    public record Rendered(String subject, String text, String html) {}

    private record Message(MailTemplate subject, MailTemplate text, MailTemplate html) {}

    private final String language;
    private final Locale locale;
    private final Map<String, String> phrases;
    private final Map<String, Message> messages;
    private final MailTemplate layoutHtml;
    private final MailTemplate layoutText;
    public final DateTimeFormatter date;
    public final DateTimeFormatter month;

    private MailLanguage(String language, Map<String, String> phrases, Map<String, Message> messages, MailTemplate layoutHtml,
                         MailTemplate layoutText) {
        this.language = language;
        this.phrases = phrases;
        this.messages = messages;
        this.layoutHtml = layoutHtml;
        this.layoutText = layoutText;
        this.locale = Locale.forLanguageTag(phrases.getOrDefault("locale", language));
        this.date = DateTimeFormatter.ofPattern(phrase("date"), locale);
        this.month = DateTimeFormatter.ofPattern(phrase("month"), locale);
    }

    /** The language's file from the class path; fails (at start-up) when it is missing or malformed. */
    public static MailLanguage load(String language) {
        if (!language.matches("[a-z]{2}(-[A-Z]{2})?")) throw new IllegalArgumentException("not a language tag: " + language);
        String path = "/email/" + language + ".mail";
        try (InputStream in = MailLanguage.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalArgumentException("no email templates for language '" + language + "' (" + path + ")");
            return parse(language, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static MailLanguage parse(String language, String source) {
        Map<String, String> sections = new LinkedHashMap<>();
        String current = null;
        StringBuilder body = new StringBuilder();
        for (String line : source.split("\n", -1)) {
            if (line.startsWith("== ")) {
                if (current != null) sections.put(current, body.toString().strip());
                current = line.substring(3).strip();
                body.setLength(0);
            } else if (current != null) {
                body.append(line).append('\n');
            }
        }
        if (current != null) sections.put(current, body.toString().strip());

        Map<String, String> phrases = new HashMap<>();
        for (String line : sections.getOrDefault("phrases", "").split("\n")) {
            int eq = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#")) continue;
            if (eq < 0) throw new IllegalArgumentException(language + ".mail: a phrase needs 'key = text': " + line);
            phrases.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        Map<String, Message> messages = new HashMap<>();
        for (String key : sections.keySet()) {
            if (!key.endsWith(".subject")) continue;
            String name = key.substring(0, key.length() - ".subject".length());
            String text = sections.get(name + ".text");
            String html = sections.get(name + ".html");
            if (text == null || html == null)
                throw new IllegalArgumentException(language + ".mail: message '" + name + "' needs .subject, .text and .html");
            messages.put(name, new Message(MailTemplate.compile(name + ".subject", sections.get(key), false),
                    MailTemplate.compile(name + ".text", text + "\n", false), MailTemplate.compile(name + ".html", html, true)));
        }
        String layoutHtml = sections.get("layout.html");
        String layoutText = sections.get("layout.text");
        if (layoutHtml == null || layoutText == null) throw new IllegalArgumentException(language + ".mail needs layout.html and layout.text");
        return new MailLanguage(language, phrases, messages, MailTemplate.compile("layout.html", layoutHtml + "\n", true),
                MailTemplate.compile("layout.text", layoutText + "\n", false));
    }

    public String language() {
        return language;
    }

    public boolean has(String message) {
        return messages.containsKey(message);
    }

    public Set<String> messages() {
        return messages.keySet();
    }

    /** A phrase of this language; a missing one is a mistake in the file, not a message to send half-way. */
    public String phrase(String key) {
        String p = phrases.get(key);
        if (p == null) throw new MailTemplate.MissingValue("no phrase '" + key + "' in " + language + ".mail");
        return p;
    }

    public Optional<String> optionalPhrase(String key) {
        return Optional.ofNullable(phrases.get(key));
    }

    /** Renders {@code message} with {@code model}; the layout sees the model too, plus the subject and the body. */
    public Rendered render(String message, Map<String, Object> model) {
        Message m = messages.get(message);
        if (m == null) throw new MailTemplate.MissingValue("no message '" + message + "' in " + language + ".mail");
        String subject = m.subject().render(model).strip();
        Map<String, Object> outer = new HashMap<>(model);
        outer.put("subject", subject);
        outer.put("body", m.html().render(model));
        String html = layoutHtml.render(outer);
        outer.put("body", m.text().render(model).strip());
        return new Rendered(subject, layoutText.render(outer), html);
    }
}

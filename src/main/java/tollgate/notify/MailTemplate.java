package tollgate.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One compiled piece of a message (a subject, a text or an HTML part): text with {@code {{name}}} values,
 * {@code {{#name}}…{{/name}}} shown when the value is set (not null, false or empty), {@code {{^name}}…{{/name}}} when
 * it is not, and {@code {{{name}}}} for HTML already made safe (the layout's body). Values are HTML-escaped in HTML
 * parts. A name the model does not hold, or a {@code {{name}}} whose value is null, fails the rendering: a message is
 * sent whole or not at all.
 */
public final class MailTemplate {
    private sealed interface Node permits Literal, Value, Section {}

    private record Literal(String text) implements Node {}

    private record Value(String name, boolean raw) implements Node {}

    private record Section(String name, boolean inverted, List<Node> body) implements Node {}

    /** A value the template asks for and the model lacks, or lacks a value for. */
    public static final class MissingValue extends RuntimeException {
        public MissingValue(String message) {
            super(message);
        }
    }

    private final String name;
    private final List<Node> nodes;
    private final boolean html;

    private MailTemplate(String name, List<Node> nodes, boolean html) {
        this.name = name;
        this.nodes = nodes;
        this.html = html;
    }

    public static MailTemplate compile(String name, String source, boolean html) {
        List<List<Node>> stack = new ArrayList<>();
        List<String> open = new ArrayList<>();
        List<Boolean> inverted = new ArrayList<>();
        stack.add(new ArrayList<>());
        int i = 0;
        while (i < source.length()) {
            int start = source.indexOf("{{", i);
            if (start < 0) {
                stack.getLast().add(new Literal(source.substring(i)));
                break;
            }
            if (start > i) stack.getLast().add(new Literal(source.substring(i, start)));
            boolean raw = source.startsWith("{{{", start);
            int end = source.indexOf(raw ? "}}}" : "}}", start);
            if (end < 0) throw new IllegalArgumentException(name + ": '{{' without '}}' at " + start);
            String tag = source.substring(start + (raw ? 3 : 2), end).strip();
            i = end + (raw ? 3 : 2);
            if (raw) {
                stack.getLast().add(new Value(tag, true));
            } else if (tag.startsWith("#") || tag.startsWith("^")) {
                open.add(tag.substring(1).strip());
                inverted.add(tag.startsWith("^"));
                stack.add(new ArrayList<>());
            } else if (tag.startsWith("/")) {
                String closing = tag.substring(1).strip();
                if (open.isEmpty() || !open.getLast().equals(closing))
                    throw new IllegalArgumentException(name + ": {{/" + closing + "}} closes nothing open");
                List<Node> body = stack.removeLast();
                stack.getLast().add(new Section(open.removeLast(), inverted.removeLast(), List.copyOf(body)));
            } else {
                if (!tag.matches("[a-z0-9_.]+")) throw new IllegalArgumentException(name + ": bad value name {{" + tag + "}}");
                stack.getLast().add(new Value(tag, false));
            }
        }
        if (!open.isEmpty()) throw new IllegalArgumentException(name + ": {{#" + open.getLast() + "}} is never closed");
        return new MailTemplate(name, List.copyOf(stack.getFirst()), html);
    }

    public String render(Map<String, ?> model) {
        StringBuilder out = new StringBuilder(1024);
        render(nodes, model, out);
        return out.toString();
    }

    private void render(List<Node> nodes, Map<String, ?> model, StringBuilder out) {
        for (Node node : nodes) {
            switch (node) {
                case Literal l -> out.append(l.text());
                case Value v -> {
                    Object value = lookup(model, v.name());
                    if (value == null) throw new MissingValue(name + ": {{" + v.name() + "}} has no value");
                    String s = value.toString();
                    if (html && !v.raw()) escape(s, out);
                    else out.append(s);
                }
                case Section s -> {
                    if (set(lookup(model, s.name())) != s.inverted()) render(s.body(), model, out);
                }
            }
        }
    }

    private Object lookup(Map<String, ?> model, String key) {
        if (!model.containsKey(key)) throw new MissingValue(name + ": the model has no '" + key + "'");
        return model.get(key);
    }

    private static boolean set(Object value) {
        if (value == null || Boolean.FALSE.equals(value)) return false;
        return !(value instanceof String s) || !s.isEmpty();
    }

    /** {@code s} escaped for HTML text and attribute values alike (null: empty). */
    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length() + 16);
        escape(s, out);
        return out.toString();
    }

    /** Escapes for HTML text and attribute values alike. */
    static void escape(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }
}

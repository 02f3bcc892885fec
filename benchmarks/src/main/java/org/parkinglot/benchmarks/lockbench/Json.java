package org.parkinglot.benchmarks.lockbench;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small JSON serializer for trees of {@link Map} (objects, in iteration order), {@link List}
 * (arrays), {@link String}, {@link Number}, {@link Boolean} and {@code null}. Non-finite numbers become
 * {@code null}. Objects are indented two spaces per level; arrays holding only numbers stay on one line.
 */
public final class Json {

    private Json() {
    }

    /**
     * Serializes a tree.
     *
     * @param value the root
     * @return the JSON text, ending with a newline
     * @throws IllegalArgumentException if the tree holds another type, or a map key that is not a string
     */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object v, int depth) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Boolean bool) {
            b.append(bool);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            b.append(Double.isFinite(d) ? number(d) : "null");
        } else if (v instanceof Number n) {
            b.append(n.longValue());
        } else if (v instanceof Map<?, ?> m) {
            object(b, m, depth);
        } else if (v instanceof List<?> l) {
            array(b, l, depth);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        return Double.toString(d);
    }

    private static void object(StringBuilder b, Map<?, ?> m, int depth) {
        if (m.isEmpty()) {
            b.append("{}");
            return;
        }
        b.append("{\n");
        Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON object keys must be strings: " + e.getKey());
            }
            indent(b, depth + 1);
            string(b, key);
            b.append(": ");
            write(b, e.getValue(), depth + 1);
            b.append(it.hasNext() ? ",\n" : "\n");
        }
        indent(b, depth);
        b.append('}');
    }

    private static void array(StringBuilder b, List<?> l, int depth) {
        if (l.stream().allMatch(x -> x instanceof Number)) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ", ");
                write(b, l.get(i), depth);
            }
            b.append(']');
            return;
        }
        b.append("[\n");
        for (int i = 0; i < l.size(); i++) {
            indent(b, depth + 1);
            write(b, l.get(i), depth + 1);
            b.append(i + 1 < l.size() ? ",\n" : "\n");
        }
        indent(b, depth);
        b.append(']');
    }

    private static void indent(StringBuilder b, int depth) {
        b.append("  ".repeat(depth));
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}

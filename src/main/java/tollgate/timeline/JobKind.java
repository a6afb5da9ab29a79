package tollgate.timeline;

import java.util.function.Function;

/**
 * A kind of timeline row and the record its {@code ref} text stands for (decision 029): the record is written into the
 * row and read back here, in one place, so a job receives a typed reference instead of parsing a string.
 */
public record JobKind<R>(String name, Function<R, String> writer, Function<String, R> reader) {
    /** A kind whose reference is one id, kept as it is. */
    public static <R> JobKind<R> of(String name, Function<R, String> writer, Function<String, R> reader) {
        return new JobKind<>(name, writer, reader);
    }

    public String write(R ref) {
        return writer.apply(ref);
    }

    public R read(String text) {
        return reader.apply(text);
    }
}

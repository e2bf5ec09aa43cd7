package io.github.distlock.bench.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes the results as indented JSON with Jackson. Two choices of our own: a measurement that
 * does not exist (NaN, infinite) is {@code null}, and a whole-valued double is written without
 * its {@code .0}, so that counts read as counts. Fields print as {@code "name": value}.
 */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setDefaultPrettyPrinter(new DefaultPrettyPrinter().withSeparators(
                    Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)))
            .registerModule(new SimpleModule("bench-numbers").addSerializer(Double.class, new DoubleSerializer()));

    private Json() {
    }

    /**
     * Writes a value as indented JSON.
     *
     * @param value maps, lists, strings, numbers, booleans or {@code null}
     * @return the JSON text, ending in a newline
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not write the results as JSON", e);
        }
    }

    /** NaN and infinities as {@code null}; whole values as integers. */
    private static final class DoubleSerializer extends StdSerializer<Double> {

        DoubleSerializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double d, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (d.isNaN() || d.isInfinite()) {
                gen.writeNull();
            } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                gen.writeNumber(d.longValue());
            } else {
                gen.writeNumber(d);
            }
        }
    }
}

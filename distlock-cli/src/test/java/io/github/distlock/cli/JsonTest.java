package io.github.distlock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesCompactJsonInInsertionOrder() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("s", "a\"b\\c\nd\u0001");
        o.put("i", 42L);
        o.put("d", 1.5);
        o.put("whole", 3.0);
        o.put("small", 0.0004);
        o.put("b", true);
        o.put("n", null);
        o.put("l", List.of(1, "x"));
        o.put("pairs", List.of(new long[] {1, 2}));
        assertThat(Json.write(o)).isEqualTo(
                "{\"s\":\"a\\\"b\\\\c\\nd\\u0001\",\"i\":42,\"d\":1.5,\"whole\":3,\"small\":0,\"b\":true,\"n\":null,"
                        + "\"l\":[1,\"x\"],\"pairs\":[[1,2]]}");
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesWhatItWrites() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("text", "tab\there \"quoted\" \u00e9");
        o.put("count", 7L);
        o.put("ratio", 0.25);
        o.put("ok", false);
        o.put("none", null);
        o.put("list", Arrays.asList(1L, List.of(), Map.of()));
        assertThat(Json.parseObject(Json.write(o))).isEqualTo(o);
        assertThat(Json.parse(" [ -1 , 2.5e3 , \"\\u0041\" ] ")).isEqualTo(List.of(-1L, 2500.0, "A"));
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : new String[] {"", "{", "{\"a\":}", "[1,]", "tru", "{\"a\":1} x", "\"open", "{a:1}"}) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessageContaining("expected a JSON object");
    }
}

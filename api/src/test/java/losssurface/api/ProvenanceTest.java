package losssurface.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ProvenanceTest {

    @Test
    void aDetailMayNotOverwriteAKeyTheFileWritesItself() {
        for (String key : Provenance.RESERVED) {
            assertThatThrownBy(() -> provenance(Map.of(key, "x"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Provenance detail '" + key + "' would overwrite the key provenance.json writes itself");
        }
        assertThat(provenance(Map.of("probe-info", Map.of("method", "random-plane"))).details()).containsKey("probe-info");
    }

    private static Provenance provenance(Map<String, Object> details) {
        return new Provenance("t", "tr", "p", Map.of(), 1, Map.of(), Map.of(), details);
    }
}

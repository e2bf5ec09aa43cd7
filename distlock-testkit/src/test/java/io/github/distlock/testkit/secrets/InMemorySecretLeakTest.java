package io.github.distlock.testkit.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No owner token in anything the engine logs or prints, on {@code mem:}; and the scan itself. */
class InMemorySecretLeakTest {

    @Test
    void noOwnerTokenLeaksOnMem() throws Exception {
        String output = SecretLeakCheck.against("mem:secrets").lossTtl(Duration.ofMillis(100)).run();
        assertThat(output).contains("loss: LockLoss[key=secrets/lost", "unlock from another thread failed: ");
    }

    @Test
    void theScanFindsSecretsAsTheyAreAndHexEncodedAndMasksThemInItsReport() {
        Map<String, String> secrets = Map.of("hunter2", "a password");
        List<String> found = SecretLeakCheck.findings("ok\nAUTH hunter2\nframe 68756e74657232 end\n", secrets);
        assertThat(found).containsExactly("line 2 shows a password: AUTH <a password>",
                "line 3 shows a password: frame 68756e74657232 end");
    }
}

package io.github.distlock.testkit.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link SecretsScenario} against a backend in a JVM of its own with DEBUG logging
 * (slf4j-simple at {@code debug}, {@code java.util.logging} at {@code FINE}) and fails when its
 * output holds a secret: a password given here, an owner token the core minted during the run, or
 * a line of a private key file. Each secret is looked for as it is and hex-encoded (as network
 * frame dumps show bytes).
 *
 * <pre>{@code
 * SecretLeakCheck.against("redis://app:" + password + "@127.0.0.1:" + port)
 *         .wrongCredentials("redis://app:wrong-" + password + "@127.0.0.1:" + port)
 *         .secret(password)
 *         .run();
 * }</pre>
 */
public final class SecretLeakCheck {

    private static final Duration DEADLINE = Duration.ofMinutes(2);
    /** Base64 lines of a PEM key shorter than this are too common to be evidence of a leak. */
    private static final int MIN_KEY_LINE = 16;

    private final String uri;
    private String wrongCredentialsUri = "-";
    private Duration lossTtl = Duration.ofSeconds(1);
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final List<String> jvmArgs = new ArrayList<>(List.of(
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
            "-Dorg.slf4j.simpleLogger.logFile=System.out",
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));

    private SecretLeakCheck(String uri) {
        this.uri = uri;
    }

    /**
     * Starts a check of the backend at {@code uri}.
     *
     * @param uri a URI {@code DistributedLocks.open} accepts, with its credentials
     * @return the check
     */
    public static SecretLeakCheck against(String uri) {
        return new SecretLeakCheck(uri);
    }

    /**
     * Also opens a client with this URI, whose credentials the server refuses.
     *
     * @param uri the URI with wrong credentials
     * @return this check
     */
    public SecretLeakCheck wrongCredentials(String uri) {
        this.wrongCredentialsUri = uri;
        return this;
    }

    /**
     * Sets the TTL of the lease the scenario lets expire (the backend's minimum is fastest).
     *
     * @param ttl the TTL
     * @return this check
     */
    public SecretLeakCheck lossTtl(Duration ttl) {
        this.lossTtl = ttl;
        return this;
    }

    /**
     * Adds a secret that must not appear, such as a password.
     *
     * @param secret the secret
     * @return this check
     */
    public SecretLeakCheck secret(String secret) {
        secrets.put(secret, "a password");
        return this;
    }

    /**
     * Adds the body of a PEM private key: none of its base64 lines may appear.
     *
     * @param pem the key file
     * @return this check
     */
    public SecretLeakCheck privateKey(Path pem) {
        try {
            for (String line : Files.readAllLines(pem, StandardCharsets.US_ASCII)) {
                if (!line.startsWith("-----") && line.trim().length() >= MIN_KEY_LINE) {
                    secrets.put(line.trim(), "private key " + pem.getFileName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Logs {@code logger} at {@code level} instead of DEBUG: for a third-party logger known to
     * dump raw bytes at DEBUG (say why where you call this, and document it for users).
     *
     * @param logger the logger name
     * @param level an slf4j-simple level, such as {@code info}
     * @return this check
     */
    public SecretLeakCheck loggerLevel(String logger, String level) {
        jvmArgs.add("-Dorg.slf4j.simpleLogger.log." + logger + "=" + level);
        return this;
    }

    /**
     * Adds a JVM option of the scenario's JVM, for example a trust store.
     *
     * @param option the option
     * @return this check
     */
    public SecretLeakCheck jvmArg(String option) {
        jvmArgs.add(option);
        return this;
    }

    /**
     * Runs the scenario and scans its output.
     *
     * @return the scenario's output, for further checks
     * @throws AssertionError if the scenario failed, DEBUG logging was off, fewer than five owner
     *     tokens were used, or a secret appears in the output (the message names the lines, secrets masked)
     */
    public String run() throws IOException, InterruptedException {
        Path tokensFile = Files.createTempFile("distlock-owner-tokens-", ".txt");
        try {
            ChildJvm.Result result = ChildJvm.run(jvmArgs, SecretsScenario.class,
                    List.of(uri, wrongCredentialsUri, tokensFile.toString(), lossTtl.toString()), DEADLINE);
            String output = result.output();
            if (result.exitStatus() != 0 || !output.contains(SecretsScenario.COMPLETE)) {
                throw new AssertionError("the secrets scenario failed (exit status " + result.exitStatus() + "):\n"
                        + mask(output, secrets));
            }
            if (!output.contains("debug logging: slf4j true")) {
                throw new AssertionError("the scenario ran without DEBUG logging, so the check proves nothing");
            }
            Map<String, String> all = new LinkedHashMap<>(secrets);
            List<String> tokens = Files.readAllLines(tokensFile, StandardCharsets.UTF_8);
            if (tokens.size() < 5) {
                throw new AssertionError("the scenario used only " + tokens.size() + " owner tokens");
            }
            tokens.forEach(t -> all.put(t, "an owner token"));
            List<String> findings = findings(output, all);
            if (!findings.isEmpty()) {
                throw new AssertionError(findings.size() + " line(s) of the scenario's output show a secret:\n"
                        + String.join("\n", findings));
            }
            return output;
        } finally {
            Files.deleteIfExists(tokensFile);
        }
    }

    /** Lines holding a secret as it is or hex-encoded, with every secret masked. */
    static List<String> findings(String output, Map<String, String> secrets) {
        List<String> found = new ArrayList<>();
        String[] lines = output.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String lower = lines[i].toLowerCase(java.util.Locale.ROOT);
            for (Map.Entry<String, String> s : secrets.entrySet()) {
                String hex = HexFormat.of().formatHex(s.getKey().getBytes(StandardCharsets.UTF_8));
                if (lines[i].contains(s.getKey()) || lower.contains(hex)) {
                    found.add("line " + (i + 1) + " shows " + s.getValue() + ": " + mask(lines[i], secrets));
                }
            }
        }
        return found;
    }

    private static String mask(String text, Map<String, String> secrets) {
        String out = text;
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            out = out.replace(s.getKey(), "<" + s.getValue() + ">");
        }
        return out;
    }
}

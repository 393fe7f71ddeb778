package dev.cairn.checkpoint.s3.internal;

import dev.cairn.checkpoint.s3.S3Options;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.ReadableConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/** The validated S3 options one file system is built from; equal settings share one client. */
record S3Settings(
        Optional<URI> endpoint,
        String region,
        boolean pathStyle,
        Optional<String> accessKey,
        Optional<String> secretKey,
        S3Options.ChecksumMode requestChecksum,
        S3Options.ChecksumMode responseChecksum,
        int maxAttempts,
        boolean circuitBreaker,
        Duration attemptTimeout,
        long partSize,
        int uploadThreads,
        boolean conditionalWrites,
        Optional<String> entropyKey,
        int entropyLength,
        S3Options.HttpClient httpClient) {

    static final long MIN_PART_SIZE = 5L << 20;

    /** @throws IllegalConfigurationException naming the key, the value and what is allowed */
    static S3Settings from(ReadableConfig config) {
        Optional<URI> endpoint = config.getOptional(S3Options.ENDPOINT).map(S3Settings::endpoint);
        Optional<String> accessKey = config.getOptional(S3Options.ACCESS_KEY);
        Optional<String> secretKey = config.getOptional(S3Options.SECRET_KEY);
        if (accessKey.isPresent() != secretKey.isPresent()) {
            String missing = accessKey.isPresent() ? S3Options.SECRET_KEY.key() : S3Options.ACCESS_KEY.key();
            throw new IllegalConfigurationException("S3 static credentials need both " + S3Options.ACCESS_KEY.key()
                    + " and " + S3Options.SECRET_KEY.key() + "; " + missing + " is missing (leave both unset to"
                    + " use the SDK's default credentials chain)");
        }
        int maxAttempts = config.get(S3Options.MAX_ATTEMPTS);
        if (maxAttempts < 1) {
            throw IllegalConfigurationException.invalidValue(S3Options.MAX_ATTEMPTS.key(), maxAttempts, "at least 1");
        }
        Duration attemptTimeout = config.get(S3Options.ATTEMPT_TIMEOUT);
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw IllegalConfigurationException.invalidValue(
                    S3Options.ATTEMPT_TIMEOUT.key(), attemptTimeout, "a positive duration");
        }
        long partSize = config.get(S3Options.PART_SIZE).getBytes();
        if (partSize < MIN_PART_SIZE || partSize > Integer.MAX_VALUE - 8) {
            throw IllegalConfigurationException.invalidValue(
                    S3Options.PART_SIZE.key(), config.get(S3Options.PART_SIZE), "between 5mb and 2gb");
        }
        int uploadThreads = config.get(S3Options.UPLOAD_THREADS);
        if (uploadThreads < 1) {
            throw IllegalConfigurationException.invalidValue(
                    S3Options.UPLOAD_THREADS.key(), uploadThreads, "at least 1");
        }
        Optional<String> entropyKey = config.getOptional(S3Options.ENTROPY_KEY);
        if (entropyKey.isPresent()
                && (entropyKey.get().isEmpty() || entropyKey.get().contains("/"))) {
            throw IllegalConfigurationException.invalidValue(
                    S3Options.ENTROPY_KEY.key(), entropyKey.get(), "one non-empty path segment such as _entropy_");
        }
        int entropyLength = config.get(S3Options.ENTROPY_LENGTH);
        if (entropyLength < 1 || entropyLength > 8) {
            throw IllegalConfigurationException.invalidValue(
                    S3Options.ENTROPY_LENGTH.key(), entropyLength, "1 to 8 hex characters");
        }
        return new S3Settings(
                endpoint,
                config.get(S3Options.REGION),
                config.get(S3Options.PATH_STYLE_ACCESS),
                accessKey,
                secretKey,
                config.get(S3Options.REQUEST_CHECKSUM),
                config.get(S3Options.RESPONSE_CHECKSUM),
                maxAttempts,
                config.get(S3Options.THROTTLING_CIRCUIT_BREAKER),
                attemptTimeout,
                partSize,
                uploadThreads,
                config.get(S3Options.CONDITIONAL_WRITES),
                entropyKey,
                entropyLength,
                config.get(S3Options.HTTP_CLIENT));
    }

    private static URI endpoint(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an http or https URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw IllegalConfigurationException.invalidValue(
                    S3Options.ENDPOINT.key(), text, "an http:// or https:// URL such as http://127.0.0.1:9000");
        }
    }

    /** The settings without secrets, for messages and logs. */
    @Override
    public String toString() {
        return "S3Settings{endpoint=" + endpoint.map(URI::toString).orElse("AWS") + ", region=" + region
                + ", pathStyle=" + pathStyle + ", credentials="
                + (accessKey.isPresent() ? "static" : "default chain") + ", partSize=" + partSize
                + ", conditionalWrites=" + conditionalWrites + "}";
    }
}

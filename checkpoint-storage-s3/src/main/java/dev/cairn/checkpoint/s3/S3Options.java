package dev.cairn.checkpoint.s3;

import dev.cairn.state.ConfigOption;
import dev.cairn.state.ConfigOptions;
import dev.cairn.state.MemorySize;
import java.time.Duration;
import java.util.List;

/**
 * Options of the {@code s3://} file system (names follow Flink's S3 file systems where they have one). They are
 * read from the configuration given to {@code FileSystem.initialize}, which {@code StateEnvironment} does with its
 * own configuration; like every key, each can be overridden by a {@code CAIRN_<KEY>} environment variable.
 */
public final class S3Options {
    private S3Options() {}

    /** Which HTTP client the SDK uses. */
    public enum HttpClient {
        /** The SDK's {@code url-connection-client}: small, no extra threads (the module's dependency). */
        URL_CONNECTION,
        /** Whatever HTTP client implementation the application put on the classpath (e.g. apache-client). */
        SDK_DEFAULT
    }

    /** When the SDK computes checksums of requests or validates those of responses. */
    public enum ChecksumMode {
        /** Only where the S3 API requires one (works with most S3-compatible stores). */
        WHEN_REQUIRED,
        /** For every operation that supports one (the SDK's default; some S3-compatible stores reject it). */
        WHEN_SUPPORTED
    }

    /** {@code s3.endpoint}: Endpoint URL of an S3-compatible store, e.g. */
    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("s3.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Endpoint URL of an S3-compatible store, e.g. http://127.0.0.1:9000. Unset: AWS S3"
                    + " for s3.region.");

    /** {@code s3.region}: Region requests are signed for. */
    public static final ConfigOption<String> REGION = ConfigOptions.key("s3.region")
            .stringType()
            .defaultValue("us-east-1")
            .withDescription("Region requests are signed for.");

    /** {@code s3.path.style.access}: Address buckets as http://endpoint/bucket/key instead of http://bucket.endpoint/key; most self-hosted stores need true. */
    public static final ConfigOption<Boolean> PATH_STYLE_ACCESS = ConfigOptions.key("s3.path.style.access")
            .booleanType()
            .defaultValue(false)
            .withDescription("Address buckets as http://endpoint/bucket/key instead of http://bucket.endpoint/key;"
                    + " most self-hosted stores need true.");

    /** {@code s3.access-key}: Static access key (with s3.secret-key). */
    public static final ConfigOption<String> ACCESS_KEY = ConfigOptions.key("s3.access-key")
            .stringType()
            .noDefaultValue()
            .withDescription("Static access key (with s3.secret-key). Unset: the SDK's default credentials chain"
                    + " (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, system properties, profile, container or"
                    + " instance role).");

    /** {@code s3.secret-key}: Static secret key (with s3.access-key); prefer CAIRN_S3_SECRET_KEY over a file. */
    public static final ConfigOption<String> SECRET_KEY = ConfigOptions.key("s3.secret-key")
            .stringType()
            .noDefaultValue()
            .withDescription("Static secret key (with s3.access-key); prefer CAIRN_S3_SECRET_KEY over a file.");

    /** {@code s3.checksum.request-calculation}: WHEN_REQUIRED or WHEN_SUPPORTED: when request checksums are sent. */
    public static final ConfigOption<ChecksumMode> REQUEST_CHECKSUM = ConfigOptions.key(
                    "s3.checksum.request-calculation")
            .enumType(ChecksumMode.class)
            .defaultValue(ChecksumMode.WHEN_REQUIRED)
            .withDescription("WHEN_REQUIRED or WHEN_SUPPORTED: when request checksums are sent. Integrity of"
                    + " checkpoint files is checked with Cairn's own CRC32C either way.");

    /** {@code s3.checksum.response-validation}: WHEN_REQUIRED or WHEN_SUPPORTED: when response checksums are validated. */
    public static final ConfigOption<ChecksumMode> RESPONSE_CHECKSUM = ConfigOptions.key(
                    "s3.checksum.response-validation")
            .enumType(ChecksumMode.class)
            .defaultValue(ChecksumMode.WHEN_REQUIRED)
            .withDescription("WHEN_REQUIRED or WHEN_SUPPORTED: when response checksums are validated.");

    /** {@code s3.retry.max-attempts}: Attempts per request (first try included) for retryable errors: throttling, 5xx, I/O errors. */
    public static final ConfigOption<Integer> MAX_ATTEMPTS = ConfigOptions.key("s3.retry.max-attempts")
            .intType()
            .defaultValue(5)
            .withDescription("Attempts per request (first try included) for retryable errors: throttling, 5xx,"
                    + " I/O errors. At least 1.");

    /** {@code s3.retry.throttling-circuit-breaker}: Stop retrying when most recent attempts failed (the SDK's retry token bucket), so a throttled store is not hammered. */
    public static final ConfigOption<Boolean> THROTTLING_CIRCUIT_BREAKER = ConfigOptions.key(
                    "s3.retry.throttling-circuit-breaker")
            .booleanType()
            .defaultValue(true)
            .withDescription("Stop retrying when most recent attempts failed (the SDK's retry token bucket), so"
                    + " a throttled store is not hammered.");

    /** {@code s3.retry.attempt-timeout}: Longest time one request attempt may take before it is abandoned and retried. */
    public static final ConfigOption<Duration> ATTEMPT_TIMEOUT = ConfigOptions.key("s3.retry.attempt-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(2))
            .withDescription("Longest time one request attempt may take before it is abandoned and retried.");

    /** {@code s3.upload.part.size}: Files up to this size are uploaded with one request; larger ones as a multipart upload of parts this size (at least 5mb, S3's minimum part size). */
    public static final ConfigOption<MemorySize> PART_SIZE = ConfigOptions.key("s3.upload.part.size")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(16))
            .withDescription("Files up to this size are uploaded with one request; larger ones as a multipart"
                    + " upload of parts this size (at least 5mb, S3's minimum part size).");

    /** {@code s3.upload.threads}: Parts of one multipart upload sent in parallel (also the parts buffered in memory). */
    public static final ConfigOption<Integer> UPLOAD_THREADS = ConfigOptions.key("s3.upload.threads")
            .intType()
            .defaultValue(4)
            .withDescription("Parts of one multipart upload sent in parallel (also the parts buffered in memory).");

    /** {@code s3.conditional-writes}: Create files with If-None-Match: * so that an existing object (such as a checkpoint's _metadata) is never overwritten. */
    public static final ConfigOption<Boolean> CONDITIONAL_WRITES = ConfigOptions.key("s3.conditional-writes")
            .booleanType()
            .defaultValue(true)
            .withDescription("Create files with If-None-Match: * so that an existing object (such as a"
                    + " checkpoint's _metadata) is never overwritten. Turn off for stores that reject the header;"
                    + " existence is then checked before writing, which is not atomic.");

    /** {@code s3.entropy.key}: A path segment (e.g. */
    public static final ConfigOption<String> ENTROPY_KEY = ConfigOptions.key("s3.entropy.key")
            .stringType()
            .noDefaultValue()
            .withDescription("A path segment (e.g. _entropy_) that, in a checkpoint or changelog directory, marks"
                    + " where a hash prefix goes: data files are stored under s3.entropy.length hex characters"
                    + " derived from their path, spreading load over S3 partitions; _metadata files and"
                    + " directory listings use the path without the segment. Keep it out of savepoint"
                    + " directories (a savepoint must stay relocatable).");

    /** {@code s3.entropy.length}: Hex characters of the entropy prefix, 1 to 8. */
    public static final ConfigOption<Integer> ENTROPY_LENGTH = ConfigOptions.key("s3.entropy.length")
            .intType()
            .defaultValue(4)
            .withDescription("Hex characters of the entropy prefix, 1 to 8.");

    /** {@code s3.http-client}: URL_CONNECTION (the module's light client) or SDK_DEFAULT (the HTTP client implementation found on the classpath). */
    public static final ConfigOption<HttpClient> HTTP_CLIENT = ConfigOptions.key("s3.http-client")
            .enumType(HttpClient.class)
            .defaultValue(HttpClient.URL_CONNECTION)
            .withDescription("URL_CONNECTION (the module's light client) or SDK_DEFAULT (the HTTP client"
                    + " implementation found on the classpath).");

    /** {@return all options, in documentation order} */
    public static List<ConfigOption<?>> all() {
        return List.of(
                ENDPOINT,
                REGION,
                PATH_STYLE_ACCESS,
                ACCESS_KEY,
                SECRET_KEY,
                REQUEST_CHECKSUM,
                RESPONSE_CHECKSUM,
                MAX_ATTEMPTS,
                THROTTLING_CIRCUIT_BREAKER,
                ATTEMPT_TIMEOUT,
                PART_SIZE,
                UPLOAD_THREADS,
                CONDITIONAL_WRITES,
                ENTROPY_KEY,
                ENTROPY_LENGTH,
                HTTP_CLIENT);
    }
}

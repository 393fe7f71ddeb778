package dev.cairn.s3;

import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.s3.S3Options;
import dev.cairn.state.Configuration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3Proxy server {@code .ci/s3proxy.sh start} started (described by the file {@code S3PROXY_TEST_CONFIG} names).
 * Without it the S3 tests are skipped with a message saying how to run them; {@code .ci/run} always starts it.
 */
public final class S3TestServer {
    public static final String CONFIG_VARIABLE = "S3PROXY_TEST_CONFIG";

    private static final Properties PROPERTIES = load();
    private static S3Client adminClient;

    private S3TestServer() {}

    private static Properties load() {
        String file = System.getenv(CONFIG_VARIABLE);
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return properties;
    }

    /** Skips the calling test when no server runs. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(
                PROPERTIES != null,
                "S3 tests need S3Proxy: run '.ci/s3proxy.sh start' and set " + CONFIG_VARIABLE
                        + "=target/s3proxy/s3proxy-test.properties (what .ci/run does)");
    }

    public static String endpoint() {
        return PROPERTIES.getProperty("endpoint");
    }

    public static String accessKey() {
        return PROPERTIES.getProperty("accessKey");
    }

    public static String secretKey() {
        return PROPERTIES.getProperty("secretKey");
    }

    /** The S3Proxy jar, to start private servers (fault tests). */
    public static Path jar() {
        return Path.of(PROPERTIES.getProperty("jar"));
    }

    /** The configuration of Cairn's S3 file system for this server. */
    public static Configuration configuration() {
        return configuration(endpoint());
    }

    public static Configuration configuration(String endpoint) {
        return configuration(endpoint, accessKey(), secretKey());
    }

    /** The configuration of Cairn's S3 file system for a server at {@code endpoint} with these credentials. */
    public static Configuration configuration(String endpoint, String accessKey, String secretKey) {
        return new Configuration()
                .set(S3Options.ENDPOINT, endpoint)
                .set(S3Options.PATH_STYLE_ACCESS, true)
                .set(S3Options.ACCESS_KEY, accessKey)
                .set(S3Options.SECRET_KEY, secretKey);
    }

    /**
     * File systems whose {@code s3://} paths go to this server, shared by the tests of this JVM (never closed: the
     * storages built on it are not closed by the tests either). Skips the test when no server runs.
     */
    public static synchronized FileSystemRegistry fileSystems() {
        assumeAvailable();
        if (fileSystems == null) {
            fileSystems = new FileSystemRegistry(configuration());
        }
        return fileSystems;
    }

    private static FileSystemRegistry fileSystems;

    /** Creates a fresh bucket and returns its name. */
    public static synchronized String createBucket() {
        assumeAvailable();
        String bucket = "cairn-" + UUID.randomUUID().toString().substring(0, 13).toLowerCase(Locale.ROOT);
        client().createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    private static String sharedBucket;

    /** One bucket for all tests of this JVM that only need a fresh prefix. */
    public static synchronized String sharedBucket() {
        if (sharedBucket == null) {
            sharedBucket = createBucket();
        }
        return sharedBucket;
    }

    /** A plain SDK client on the server, for tests that tamper with objects behind Cairn's back. */
    public static synchronized S3Client client() {
        if (adminClient == null) {
            adminClient = client(endpoint());
        }
        return adminClient;
    }

    public static S3Client client(String endpoint) {
        return client(endpoint, accessKey(), secretKey());
    }

    /** A plain SDK client on a server at {@code endpoint} with these credentials. */
    public static S3Client client(String endpoint, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}

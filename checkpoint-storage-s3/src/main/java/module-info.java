/** The {@code s3://} file system (AWS SDK v2); the only module that uses the SDK. */
module dev.cairn.checkpoint.s3 {
    requires transitive dev.cairn.checkpoint;
    requires org.slf4j;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.urlconnection;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.retries;
    requires software.amazon.awssdk.retries.api;
    requires software.amazon.awssdk.services.s3;

    exports dev.cairn.checkpoint.s3;

    provides dev.cairn.checkpoint.fs.FileSystemFactory with
            dev.cairn.checkpoint.s3.S3FileSystemFactory;
}

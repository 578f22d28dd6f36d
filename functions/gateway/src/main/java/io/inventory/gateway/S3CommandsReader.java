package io.inventory.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Reads a commands file named by an {@code s3://bucket/key} location, refusing it early when it is too large. */
final class S3CommandsReader {

    private static final Pattern S3_URI = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.+)");

    private final S3Client s3;
    private final int maxBytes;

    S3CommandsReader(S3Client s3, int maxBytes) {
        this.s3 = s3;
        this.maxBytes = maxBytes;
    }

    byte[] read(String uri) throws RunRefusedException {
        Matcher matcher = S3_URI.matcher(uri);
        if (!matcher.matches()) {
            throw new RunRefusedException(GatewayErrorCode.INVALID_REQUEST,
                    "commands_uri '" + uri + "' is not an s3://bucket/key location");
        }
        String bucket = matcher.group(1);
        String key = matcher.group(2);

        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(b -> b.bucket(bucket).key(key))) {
            Long length = object.response().contentLength();
            if (length != null && length > maxBytes) {
                // Closing without draining aborts the download: a huge object costs one request, not its size.
                object.abort();
                throw tooLarge(uri, length);
            }
            return readAtMost(object, uri);
        } catch (S3Exception e) {
            throw refusal(uri, e);
        } catch (SdkException | UncheckedIOException e) {
            throw new RunRefusedException(GatewayErrorCode.COMMANDS_UNAVAILABLE,
                    "could not read " + uri + ": " + e.getMessage());
        } catch (IOException e) {
            throw new RunRefusedException(GatewayErrorCode.COMMANDS_UNAVAILABLE,
                    "could not read " + uri + ": " + e.getMessage());
        }
    }

    private byte[] readAtMost(InputStream in, String uri) throws IOException, RunRefusedException {
        byte[] content = in.readNBytes(maxBytes + 1);
        if (content.length > maxBytes) {
            throw tooLarge(uri, content.length);
        }
        return content;
    }

    private RunRefusedException tooLarge(String uri, long length) {
        return new RunRefusedException(GatewayErrorCode.COMMANDS_TOO_LARGE,
                uri + " is " + (length > maxBytes + 1 ? length + " bytes" : "more than " + maxBytes + " bytes")
                        + "; the limit is " + maxBytes);
    }

    private static RunRefusedException refusal(String uri, S3Exception e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        if (e.statusCode() == 404) {
            return new RunRefusedException(GatewayErrorCode.COMMANDS_NOT_FOUND,
                    uri + " does not exist (" + (code == null || code.isEmpty() ? "404" : code) + ")");
        }
        if (e.statusCode() == 403) {
            // Without s3:ListBucket, S3 answers 403 rather than 404 for a key that does not exist.
            return new RunRefusedException(GatewayErrorCode.PERMISSION_DENIED,
                    "access to " + uri + " was denied; the object may also not exist");
        }
        if (e.statusCode() >= 500 || e.isThrottlingException()) {
            return new RunRefusedException(GatewayErrorCode.COMMANDS_UNAVAILABLE,
                    "S3 failed to return " + uri + ": " + code + " (HTTP " + e.statusCode() + ")");
        }
        return new RunRefusedException(GatewayErrorCode.INVALID_REQUEST,
                "S3 refused " + uri + ": " + code + " (HTTP " + e.statusCode() + ")");
    }
}

package io.streamoffload.connect.dynamodb.aws;

import io.streamoffload.connect.dynamodb.errors.CredentialsUnavailableException;
import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The credentials provider a client signs with: resolves through the configured one, and throws any failure as an
 * {@link SdkClientException} whose cause chain carries {@link CredentialsUnavailableException}, so that the error
 * classifier retries a credentials source that failed once. Closes what it was built on (an STS client) with the
 * client that owns it.
 */
final class CredentialsFailureMarking implements AwsCredentialsProvider, SdkAutoCloseable {
    private final String service;
    private final AwsCredentialsProvider delegate;
    private final List<AutoCloseable> resources;

    CredentialsFailureMarking(String service, AwsCredentialsProvider delegate, List<AutoCloseable> resources) {
        this.service = service;
        this.delegate = delegate;
        this.resources = resources;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        try {
            return delegate.resolveCredentials();
        } catch (RuntimeException e) {
            throw SdkClientException.builder()
                    .message("Could not get AWS credentials for " + service + ": " + ErrorClassifier.describe(e))
                    .cause(new CredentialsUnavailableException(e))
                    .build();
        }
    }

    @Override
    public void close() {
        // the SDK client may close its provider more than once; closing these again is harmless
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // nothing to do on the way out
            }
        }
    }

    @Override
    public String toString() {
        return "CredentialsFailureMarking(" + delegate.getClass().getSimpleName() + ")";
    }
}

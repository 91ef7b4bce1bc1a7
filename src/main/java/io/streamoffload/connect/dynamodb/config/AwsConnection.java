package io.streamoffload.connect.dynamodb.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.config.types.Password;

/**
 * Everything one AWS client needs to connect, after the service-specific overrides
 * ({@code dynamodb.*}, {@code s3.*}) have been laid over the shared {@code aws.*} settings.
 */
public record AwsConnection(
        String service,
        Optional<String> region,
        Optional<URI> endpoint,
        CredentialsMode credentialsMode,
        Optional<Password> accessKeyId,
        Optional<Password> secretAccessKey,
        Optional<Password> sessionToken,
        Optional<String> profileName,
        Optional<AssumeRole> assumeRole,
        Optional<URI> stsEndpoint,
        Duration apiCallAttemptTimeout,
        boolean pathStyleAccess) {

    @Override
    public String toString() {
        // Never print credentials, not even masked ones
        return "AwsConnection{service=" + service + ", region=" + region.orElse("<default chain>")
                + ", endpoint=" + endpoint.map(URI::toString).orElse("<AWS>")
                + ", credentials=" + credentialsMode.configValue()
                + assumeRole.map(role -> ", assume role " + role.roleArn()).orElse("") + "}";
    }
}

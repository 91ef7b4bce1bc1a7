package io.streamoffload.connect.dynamodb.config;

/** How an AWS client obtains credentials. */
public enum CredentialsMode implements ConfigChoice {
    /** The SDK's default provider chain: environment, system properties, web identity, profile, container, instance. */
    DEFAULT,
    /** Access key id, secret and optional session token from the connector config. */
    STATIC,
    /** A named profile from the worker's AWS config and credentials files. */
    PROFILE;

    public static CredentialsMode fromConfig(String value) {
        return ConfigChoice.parse(CredentialsMode.class, value, "credentials mode");
    }
}

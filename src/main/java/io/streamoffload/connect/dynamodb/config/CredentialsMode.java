package io.streamoffload.connect.dynamodb.config;

import java.util.Locale;

/** How an AWS client obtains credentials. */
public enum CredentialsMode {
    /** The SDK's default provider chain: environment, system properties, web identity, profile, container, instance. */
    DEFAULT,
    /** Access key id, secret and optional session token from the connector config. */
    STATIC,
    /** A named profile from the worker's AWS config and credentials files. */
    PROFILE;

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CredentialsMode fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}

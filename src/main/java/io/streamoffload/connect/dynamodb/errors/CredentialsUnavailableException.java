package io.streamoffload.connect.dynamodb.errors;

/**
 * Marks, in a failure's cause chain, that credentials could not be obtained (instance metadata, STS, a profile):
 * the SDK passes a provider's exception through as it is, so without this mark a hiccup of the credentials source
 * looks like any other client error. Its cause is what the provider threw.
 */
public class CredentialsUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CredentialsUnavailableException(Throwable cause) {
        super("credentials unavailable", cause);
    }
}

package io.streamoffload.connect.dynamodb.config;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.config.types.Password;

/**
 * An IAM role a client assumes through STS, with the credentials it would otherwise use as the base.
 *
 * @param roleArn     the role's ARN
 * @param externalId  the external id the role's trust policy requires, if any
 * @param sessionName the session name, as it appears in CloudTrail
 * @param duration    how long each set of temporary credentials lasts (the SDK refreshes them before they expire)
 */
public record AssumeRole(String roleArn, Optional<Password> externalId, String sessionName, Duration duration) {
    @Override
    public String toString() {
        return "AssumeRole{roleArn=" + roleArn + ", sessionName=" + sessionName + ", duration=" + duration
                + ", externalId=" + (externalId.isPresent() ? "[hidden]" : "none") + "}";
    }
}

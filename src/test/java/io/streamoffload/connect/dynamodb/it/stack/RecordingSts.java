package io.streamoffload.connect.dynamodb.it.stack;

import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.AwsError;
import io.streamoffload.connect.dynamodb.it.stack.FaultProxy.Fault;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * moto's STS behind a {@link FaultProxy}: the connector's AssumeRole calls reach a real STS implementation, which issues
 * temporary credentials of its own. The proxy records each call (its parameters and the access key it was signed
 * with) and the credentials each answer carried, and can fail the next calls with STS's own 500 error body, which
 * moto cannot be asked to do.
 */
public final class RecordingSts implements AutoCloseable {
    /** One AssumeRole call: its form parameters, and the access key id from its Authorization header. */
    public record Call(Map<String, String> parameters, String signedWithAccessKeyId) {
    }

    /** Temporary credentials STS issued. */
    public record Issued(String accessKeyId, String secretAccessKey, String sessionToken) {
    }

    private static final Pattern ACCESS_KEY = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");
    private static final Pattern SECRET = Pattern.compile("<SecretAccessKey>([^<]+)</SecretAccessKey>");
    private static final Pattern TOKEN = Pattern.compile("<SessionToken>([^<]+)</SessionToken>");

    private final FaultProxy proxy;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<Issued> issued = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failuresToGo = new AtomicInteger();

    public RecordingSts(URI moto) throws IOException {
        proxy = new FaultProxy(moto, FaultProxy.Service.STS).script(request -> {
            calls.add(new Call(Map.copyOf(request.formParameters()), request.signedWithAccessKeyId()));
            if (failuresToGo.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return Fault.error(AwsError.stsInternalFailure());
            }
            return Fault.rewrite(body -> {
                Matcher key = ACCESS_KEY.matcher(body);
                Matcher secret = SECRET.matcher(body);
                Matcher token = TOKEN.matcher(body);
                if (key.find() && secret.find() && token.find()) {
                    issued.add(new Issued(key.group(1), secret.group(1), token.group(1)));
                }
                return body;
            });
        });
    }

    /** The endpoint to give the connector as {@code aws.sts.endpoint.url}. */
    public URI uri() {
        return proxy.uri();
    }

    /** The next {@code n} calls fail with HTTP 500 InternalFailure, as an STS hiccup does. */
    public RecordingSts failNext(int n) {
        failuresToGo.set(n);
        return this;
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The credentials of every successful answer, in order. */
    public List<Issued> issued() {
        synchronized (issued) {
            return List.copyOf(issued);
        }
    }

    @Override
    public void close() throws IOException {
        proxy.close();
    }
}

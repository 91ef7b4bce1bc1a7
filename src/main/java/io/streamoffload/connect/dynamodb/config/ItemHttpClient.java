package io.streamoffload.connect.dynamodb.config;

/** The HTTP clients single-item calls may run on ({@code item.writes.http.client}). */
public enum ItemHttpClient {
    /** The SDK's asynchronous client on Netty: no thread per call in flight, pure Java. */
    NETTY,
    /** The asynchronous client on the AWS Common Runtime: no thread per call, the least CPU, native code. */
    CRT,
    /** No asynchronous client: the synchronous Apache 5 client, a thread per call in flight. */
    APACHE
}

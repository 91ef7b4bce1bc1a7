package io.streamoffload.connect.dynamodb.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamoffload.connect.dynamodb.errors.DeadLetterParking;
import io.streamoffload.connect.dynamodb.lifecycle.ItemJson;
import io.streamoffload.connect.dynamodb.offload.OffloadSettings;
import io.streamoffload.connect.dynamodb.offload.store.ObjectMetadata;
import io.streamoffload.connect.dynamodb.read.OffloadedItemReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists the dead letters the connector parked in S3 (bad records too large for the dead letter queue), or writes one
 * back out as the bytes it was consumed as, verified against its SHA-256, so that it can be fixed and produced again.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "List the bad records the connector parked in S3 because they were too large for the dead letter "
                + "queue (one line per stored part: key, value or headers, with the record's original topic, partition "
                + "and offset), or with --write-out write one part back out byte for byte, verified against its SHA-256.")
final class DeadLettersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--write-out", paramLabel = "S3_URI",
            description = "The s3:// URI of one parked part (from the list, or the dead letter's "
                    + "dynamodb-offload.parked.value.uri header) to write back out.")
    String writeOut;

    @Option(names = "--to", paramLabel = "FILE", description = "Where --write-out writes the bytes (default: stdout).")
    Path to;

    @Override
    public Integer call() throws Exception {
        common.validate();
        ToolConfig config = common.load("dead-letters");
        OffloadSettings offload = config.offload().orElseThrow(() -> new IllegalArgumentException(
                "the connector's config has no offload.s3.bucket: it parks no dead letters"));
        try (S3Client s3 = config.s3(2)) {
            if (writeOut != null) {
                return writeOut(config, s3, offload);
            }
            return list(s3, offload, spec.commandLine().getOut());
        }
    }

    private int list(S3Client s3, OffloadSettings offload, PrintWriter out) {
        long parts = 0;
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(offload.bucket())
                .prefix(offload.deadLetterPrefix())).contents()) {
            Map<String, String> meta = s3.headObject(h -> h.bucket(offload.bucket()).key(object.key())).metadata();
            String uri = "s3://" + offload.bucket() + "/" + object.key();
            if (common.json) {
                ObjectNode line = ItemJson.MAPPER.createObjectNode();
                line.put("uri", uri).put("part", meta.get(DeadLetterParking.PART_METADATA))
                        .put("topic", meta.get(ObjectMetadata.SOURCE_TOPIC)).put("partition", meta.get(ObjectMetadata.SOURCE_PARTITION))
                        .put("offset", meta.get(ObjectMetadata.SOURCE_OFFSET)).put("sha256", meta.get(ObjectMetadata.SHA256))
                        .put("bytes", meta.get(ObjectMetadata.UNCOMPRESSED_SIZE)).put("format", meta.get(ObjectMetadata.FORMAT))
                        .put("lastModified", object.lastModified().toString());
                out.println(line);
            } else {
                out.printf("%s  %-7s %s/%s/%s  %s bytes  %s  %s%n", uri, meta.get(DeadLetterParking.PART_METADATA),
                        meta.get(ObjectMetadata.SOURCE_TOPIC), meta.get(ObjectMetadata.SOURCE_PARTITION), meta.get(ObjectMetadata.SOURCE_OFFSET),
                        meta.get(ObjectMetadata.UNCOMPRESSED_SIZE), meta.get(ObjectMetadata.FORMAT), object.lastModified());
            }
            parts++;
        }
        if (!common.json) {
            out.printf("%,d parked parts under s3://%s/%s%n", parts, offload.bucket(), offload.deadLetterPrefix());
        }
        return OffloadTool.OK;
    }

    private int writeOut(ToolConfig config, S3Client s3, OffloadSettings offload) throws java.io.IOException {
        String expectedStart = "s3://" + offload.bucket() + "/" + offload.deadLetterPrefix();
        if (!writeOut.startsWith(expectedStart)) {
            throw new IllegalArgumentException("--write-out " + writeOut + " is not a parked dead letter: they are under "
                    + expectedStart);
        }
        byte[] content;
        try (OffloadedItemReader reader = config.reader(s3)) {
            // checks the content against the SHA-256 and size stored with it
            content = reader.readVerifiedUri(writeOut).content();
        }
        if (to == null) {
            OutputStream stdout = System.out;
            stdout.write(content);
            stdout.flush();
        } else {
            Files.write(to, content);
            spec.commandLine().getErr().printf("wrote %,d bytes (SHA-256 verified) to %s%n", content.length, to);
        }
        return OffloadTool.OK;
    }
}

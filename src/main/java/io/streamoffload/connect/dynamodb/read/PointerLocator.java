package io.streamoffload.connect.dynamodb.read;

import io.streamoffload.connect.dynamodb.offload.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Finds what an item names in S3: pointer maps at any depth, and, when the connector writes bare URIs
 * (offload.pointer.format=s3-uri), strings starting with {@code s3://} and the offload bucket. A bare URI is only
 * recognised in that bucket, so user strings that merely look like URIs elsewhere are left alone.
 */
public final class PointerLocator {
    private final Optional<String> uriPrefix;

    /** @param uriBucket the bucket bare URIs point into; empty when the connector writes pointer maps */
    public PointerLocator(Optional<String> uriBucket) {
        this.uriPrefix = uriBucket.map(bucket -> "s3://" + bucket + "/");
    }

    /**
     * One reference to an object: where it sits in the item (attribute names from the top, as names may hold dots),
     * its URI, and the pointer map when it is one.
     */
    public record Located(List<String> names, String uri, Optional<Pointer> pointer) {
        /** The dotted path, for people. */
        public String path() {
            return String.join(".", names);
        }

        public String bucket() {
            return Pointer.splitUri(uri)[0];
        }

        public String key() {
            return Pointer.splitUri(uri)[1];
        }
    }

    public List<Located> locate(Map<String, AttributeValue> item) {
        List<Located> found = new ArrayList<>();
        collect(item, List.of(), found);
        return found;
    }

    private void collect(Map<String, AttributeValue> map, List<String> prefix, List<Located> out) {
        map.forEach((name, value) -> {
            List<String> names = new ArrayList<>(prefix);
            names.add(name);
            Optional<Pointer> pointer = Pointer.fromAttribute(value);
            if (pointer.isPresent()) {
                out.add(new Located(List.copyOf(names), pointer.get().uri(), pointer));
            } else if (value.hasM()) {
                collect(value.m(), names, out);
            } else if (value.s() != null && uriPrefix.isPresent() && value.s().startsWith(uriPrefix.get())
                    && value.s().length() > uriPrefix.get().length()) {
                out.add(new Located(List.copyOf(names), value.s(), Optional.empty()));
            }
        });
    }
}

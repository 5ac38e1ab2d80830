package io.kube2kafka.cli;

import io.kube2kafka.publish.Headers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/** One readable line per record: type, resource, namespace/name, resourceVersion, origin. */
public final class RecordLine {
    private RecordLine() {
    }

    public static String format(ConsumerRecord<byte[], byte[]> record) {
        String namespace = header(record, Headers.NAMESPACE);
        String name = (namespace == null ? "" : namespace + "/") + header(record, Headers.NAME);
        String type = record.value() == null ? "TOMBSTONE" : header(record, Headers.TYPE);
        return String.format("%-9s %-22s %-40s rv=%-8s %-5s %s-%d@%d", type, header(record, Headers.RESOURCE), name,
                header(record, Headers.RESOURCE_VERSION), header(record, Headers.ORIGIN), record.topic(), record.partition(), record.offset());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

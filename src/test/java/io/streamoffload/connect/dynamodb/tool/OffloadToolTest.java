package io.streamoffload.connect.dynamodb.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamoffload.connect.dynamodb.Version;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OffloadToolTest {
    @Test
    void itsVersionIsTheConnectorsAndWithoutACommandItNamesEveryOne() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(OffloadTool.run(new PrintWriter(out, true), new PrintWriter(err, true), "--version")).isZero();
        assertThat(out.toString().trim()).isEqualTo("dynamodb-offload " + Version.get());

        assertThat(OffloadTool.run(new PrintWriter(out, true), new PrintWriter(err, true))).isEqualTo(2);
        assertThat(err.toString()).contains("name a command: verify, export, gc or dead-letters");
    }
}

package io.streamoffload.connect.dynamodb.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class SinkTaskMetricsTest {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Test
    void aStoppingTaskLeavesItsRestartedSuccessorRegistered() throws Exception {
        ObjectName name = new ObjectName(SinkTaskMetrics.DOMAIN + ":type=sink-task-metrics,connector="
                + ObjectName.quote("restarted") + ",task=" + ObjectName.quote("0"));
        SinkTaskMetrics stopping = new SinkTaskMetrics().register("restarted", "0");
        SinkTaskMetrics restarted = new SinkTaskMetrics().register("restarted", "0");
        restarted.putWritten(7);

        stopping.close();
        assertThat(server.isRegistered(name)).isTrue();
        assertThat(server.getAttribute(name, "ItemsPut")).isEqualTo(7L);

        restarted.close();
        assertThat(server.isRegistered(name)).isFalse();
    }
}

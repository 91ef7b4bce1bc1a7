package io.streamoffload.connect.dynamodb.tool;

import java.util.function.LongConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** A progress bar on the terminal's stderr, and nothing when output is not a terminal (scripts, pipes, tests). */
final class Progress implements LongConsumer, AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** @param expected an estimate, 0 when unknown */
    static Progress start(String task, long expected, boolean quiet) {
        if (quiet || System.console() == null) {
            return new Progress(null);
        }
        return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(expected > 0 ? expected : -1)
                .setUnit(" items", 1).setConsumer(new ConsoleProgressBarConsumer(System.err)).build());
    }

    @Override
    public void accept(long items) {
        if (bar != null) {
            bar.stepBy(items);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}

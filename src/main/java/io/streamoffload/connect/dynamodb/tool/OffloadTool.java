package io.streamoffload.connect.dynamodb.tool;

import io.streamoffload.connect.dynamodb.Version;
import io.streamoffload.connect.dynamodb.errors.ErrorClassifier;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code dynamodb-offload}: verify, export and garbage-collect what the connector wrote, and list or write out the
 * dead letters it parked. Exit codes: 0 all is well,
 * 1 the command ran and found problems (or no item), 2 bad arguments or settings, 3 a failure on the way (AWS).
 */
@Command(name = "dynamodb-offload", mixinStandardHelpOptions = true, versionProvider = OffloadTool.ToolVersion.class,
        subcommands = {VerifyCommand.class, ExportCommand.class, GcCommand.class, DeadLettersCommand.class},
        description = "Verify, export and garbage-collect the items and S3 objects the DynamoDB sink connector wrote, and list or write out the dead letters it parked in S3.")
public final class OffloadTool implements Runnable {
    static final int OK = 0;
    static final int FOUND_PROBLEMS = 1;
    static final int BAD_USAGE = 2;
    static final int FAILED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // items and keys are Unicode, JSON lines are UTF-8: never the platform's charset, which may be ASCII
        System.exit(run(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true), args));
    }

    /** Runs one command line, printing to the given writers; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = new CommandLine(new OffloadTool());
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            commandLine.getErr().println("dynamodb-offload: " + describe(failure));
            return failure instanceof IllegalArgumentException || failure instanceof ConfigException ? BAD_USAGE : FAILED;
        });
        return line.execute(args);
    }

    private static String describe(Throwable failure) {
        if (failure instanceof SdkException) {
            return ErrorClassifier.describe(failure);
        }
        if (failure instanceof ConfigException) {
            return "bad connector setting: " + failure.getMessage();
        }
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: verify, export, gc or dead-letters");
    }

    /** The connector's version: the tool ships in the same zip and reads what the connector wrote. */
    static final class ToolVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"dynamodb-offload " + Version.get()};
        }
    }
}

package org.paasta.servicepack.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code servicepack}: the Open Service Broker API v2.17 from a shell, for any broker. Entry point
 * of the jar; {@link #execute} runs one command line in-process and returns its exit code.
 */
@Command(name = "servicepack", mixinStandardHelpOptions = true,
        version = "servicepack-cli, Open Service Broker API " + OsbClient.API_VERSION,
        description = {"Creates, binds and deletes service instances on any Open Service Broker (API "
                + OsbClient.API_VERSION + "), as a platform would.",
                "Brokers are kept in the config file (mode 0600); instances by name in state.json next to it."},
        subcommands = {
                BrokerCommands.Register.class, BrokerCommands.List.class, BrokerCommands.Remove.class,
                BrokerCommands.Target.class, MarketplaceCommand.class,
                InstanceCommands.Create.class, InstanceCommands.Update.class, InstanceCommands.Delete.class,
                BindingCommands.Bind.class, BindingCommands.Unbind.class, BindingCommands.Env.class,
                ServicesCommands.List.class, ServicesCommands.Show.class, HelpCommand.class})
public final class ServicePackCli implements Runnable {
    static final String DEBUG_ENV = "SERVICEPACK_CLI_DEBUG";

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Config file (default: $SERVICEPACK_CLI_CONFIG, else ~/.servicepack/config.json).")
    Path config;

    @Option(names = "--platform", scope = ScopeType.INHERIT, paramLabel = "PLATFORM",
            description = "cloudfoundry (default) or kubernetes: the platform profile of the context object and"
                    + " X-Broker-API-Originating-Identity sent to the broker.")
    PlatformIdentity.Kind platform = PlatformIdentity.Kind.CLOUDFOUNDRY;

    @Option(names = "--request-timeout", scope = ScopeType.INHERIT, paramLabel = "DURATION",
            description = "How long one HTTP request may take (default: 60s).")
    Duration requestTimeout = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    private final Terminal terminal;
    private Session session;

    ServicePackCli(Terminal terminal) {
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(execute(Terminal.system(), args));
    }

    /** Runs one command line; never throws, never calls {@code System.exit}. */
    static int execute(Terminal terminal, String... args) {
        CommandLine cli = new CommandLine(new ServicePackCli(terminal));
        cli.setOut(new PrintWriter(terminal.out(), true));
        cli.setErr(new PrintWriter(terminal.err(), true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.registerConverter(Duration.class, Durations::parse);
        Map<String, String> exitCodes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            exitCodes.put(Integer.toString(code.code), code.meaning);
        }
        applyToAll(cli, exitCodes);
        cli.setParameterExceptionHandler((failure, commandArgs) -> {
            CommandLine command = failure.getCommandLine();
            terminal.err().println("error: " + failure.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(failure, command.getErr());
            terminal.err().println("See: " + command.getCommandSpec().qualifiedName() + " --help");
            return ExitCode.USAGE.code;
        });
        cli.setExecutionExceptionHandler((failure, command, parseResult) -> {
            if (failure instanceof CliFailure known) {
                terminal.err().println("error: " + known.getMessage());
                return known.exitCode().code;
            }
            terminal.err().println("error: unexpected " + failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + OsbResponse.oneLine(failure.getMessage()))
                    + " (a bug in servicepack-cli; set " + DEBUG_ENV + "=1 for the stack trace)");
            if (terminal.env(DEBUG_ENV) != null) {
                failure.printStackTrace(terminal.err());
            }
            return ExitCode.BUG.code;
        });
        return cli.execute(args);
    }

    private static void applyToAll(CommandLine command, Map<String, String> exitCodes) {
        command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes);
        command.getSubcommands().values().forEach(sub -> applyToAll(sub, exitCodes));
    }

    @Override
    public void run() {
        spec.commandLine().usage(terminal.out());
    }

    /** The session of this run, made on first use. */
    Session session() {
        if (session == null) {
            session = new Session(terminal, config, platform, requestTimeout);
        }
        return session;
    }
}

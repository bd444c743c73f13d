package org.paasta.servicepack.cli;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.paasta.servicepack.cli.CliConfig.RegisteredBroker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Brokers in the config file: register, list, remove, target. */
final class BrokerCommands {
    static final String PASSWORD_ENV = "SERVICEPACK_BROKER_PASSWORD";

    private BrokerCommands() {
    }

    @Command(name = "register-broker", mixinStandardHelpOptions = true,
            description = {"Adds (or replaces) a broker in the config file and checks it by fetching its catalog.",
                    "The password comes from --password-stdin, $" + PASSWORD_ENV + ", a prompt on a terminal,"
                            + " or --password (which shell history keeps). The first broker registered is targeted."})
    static final class Register implements Callable<Integer> {
        @ParentCommand
        ServicePackCli root;
        @Parameters(index = "0", paramLabel = "NAME", description = "A name of your choice for the broker.")
        String name;
        @Parameters(index = "1", paramLabel = "URL", description = "The broker's base URL, e.g. http://127.0.0.1:8080.")
        String url;
        @Option(names = {"-u", "--username"}, required = true, description = "Basic auth user of the broker.")
        String username;
        @Option(names = {"-p", "--password"}, description = "Basic auth password (prefer --password-stdin or $" + PASSWORD_ENV + ").")
        String password;
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;
        @Option(names = "--no-check", negatable = false,
                description = "Do not fetch the catalog first (for a broker that is not up yet).")
        boolean noCheck;

        @Override
        public Integer call() {
            Session session = root.session();
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw CliFailure.usage("'" + url + "' is not a URL");
            }
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw CliFailure.usage("'" + url + "' is not an http:// or https:// URL");
            }
            RegisteredBroker broker = new RegisteredBroker(url, username, password(session.terminal));
            if (!noCheck) {
                Catalog catalog = Catalog.fetch(session.client(name, broker));
                long plans = catalog.services().stream().mapToLong(s -> s.plans().size()).sum();
                session.note("Broker " + name + " answered its catalog: " + catalog.services().size() + " service(s), "
                        + plans + " plan(s).");
            }
            boolean replaced = session.config().brokers().containsKey(name);
            CliConfig config = session.updateConfig(c -> c.withBroker(name, broker).withPlatformDefaults());
            session.terminal.out().println("OK: broker " + name + (replaced ? " updated" : " registered") + " at " + url
                    + (name.equals(config.target()) ? " (targeted)" : ""));
            return 0;
        }

        private String password(Terminal terminal) {
            if (password != null) {
                return password;
            }
            if (passwordStdin) {
                String line = terminal.readLine();
                if (line.isEmpty()) {
                    throw CliFailure.usage("--password-stdin: standard input had no password");
                }
                return line;
            }
            String fromEnv = terminal.env(PASSWORD_ENV);
            if (fromEnv != null) {
                return fromEnv;
            }
            char[] prompted = terminal.promptSecret("Password of broker " + name + ": ");
            if (prompted != null && prompted.length > 0) {
                return new String(prompted);
            }
            throw CliFailure.usage("no password: use --password-stdin, set $" + PASSWORD_ENV + ", or --password");
        }
    }

    @Command(name = "brokers", mixinStandardHelpOptions = true, description = "Lists the registered brokers.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        ServicePackCli root;

        @Override
        public Integer call() {
            Session session = root.session();
            CliConfig config = session.config();
            if (config.brokers().isEmpty()) {
                session.terminal.out().println("No brokers registered (config file " + session.configStore.file() + ").");
                return 0;
            }
            Table table = new Table("name", "url", "username", "targeted");
            for (Map.Entry<String, RegisteredBroker> broker : config.brokers().entrySet()) {
                table.row(broker.getKey(), broker.getValue().url(), broker.getValue().username(),
                        broker.getKey().equals(config.target()) ? "yes" : "");
            }
            table.print(session.terminal.out());
            return 0;
        }
    }

    @Command(name = "remove-broker", mixinStandardHelpOptions = true,
            description = "Removes a broker from the config file (refused while instances made on it are listed).")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        ServicePackCli root;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--force", description = "Remove it even though instances made on it are still listed.")
        boolean force;

        @Override
        public Integer call() {
            Session session = root.session();
            if (!session.config().brokers().containsKey(name)) {
                throw CliFailure.usage("no broker named '" + name + "' is registered");
            }
            String instances = session.services.load().services().values().stream()
                    .filter(s -> s.broker().equals(name)).map(LocalState.ServiceRecord::name).collect(Collectors.joining(", "));
            if (!instances.isEmpty() && !force) {
                throw CliFailure.usage("broker " + name + " still has service instances made with this CLI: " + instances
                        + "; delete them first, or use --force");
            }
            session.updateConfig(c -> c.withoutBroker(name));
            session.terminal.out().println("OK: broker " + name + " removed");
            return 0;
        }
    }

    @Command(name = "target", mixinStandardHelpOptions = true,
            description = "Sets the broker that commands use when --broker is not given; without NAME, shows it.")
    static final class Target implements Callable<Integer> {
        @ParentCommand
        ServicePackCli root;
        @Parameters(paramLabel = "NAME", arity = "0..1")
        String name;

        @Override
        public Integer call() {
            Session session = root.session();
            if (name == null) {
                String target = session.config().target();
                if (target == null) {
                    throw CliFailure.usage("no broker is targeted");
                }
                session.terminal.out().println(target + " " + session.config().brokers().get(target).url());
                return 0;
            }
            if (!session.config().brokers().containsKey(name)) {
                throw CliFailure.usage("no broker named '" + name + "' is registered; see: servicepack brokers");
            }
            session.updateConfig(c -> c.withTarget(name));
            session.terminal.out().println("OK: targeting broker " + name);
            return 0;
        }
    }
}

package org.paasta.servicepack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.paasta.servicepack.cli.LocalState.BindingRecord;
import org.paasta.servicepack.cli.LocalState.Operation;
import org.paasta.servicepack.cli.LocalState.ServiceRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** bind, unbind, env. */
final class BindingCommands {
    private BindingCommands() {
    }

    @Command(name = "bind", mixinStandardHelpOptions = true,
            description = {"Binds a service instance to an app name and prints the VCAP_SERVICES the app would get on"
                    + " Cloud Foundry (to stdout; progress goes to stderr),",
                    "or, with --servicebinding-dir, writes the binding as a servicebinding.io directory"
                    + " (what Spring Cloud Bindings reads from $SERVICE_BINDING_ROOT/<name>)."})
    static final class Bind implements Callable<Integer> {
        @ParentCommand
        ServicePackCli root;
        @Parameters(index = "0", paramLabel = "NAME", description = "The service instance.")
        String name;
        @Parameters(index = "1", paramLabel = "APP", description = "An app name; the CLI makes up its app GUID and keeps it.")
        String app;
        @Option(names = "--binding-name", paramLabel = "B", description = "The binding's name (VCAP_SERVICES binding_name).")
        String bindingName;
        @Option(names = "-c", paramLabel = "PARAMETERS", description = "Parameters as a JSON object, or @FILE with one.")
        String parameters;
        @Option(names = "--servicebinding-dir", paramLabel = "DIR",
                description = "Write the binding into DIR (one file per credential, plus type and provider) instead of printing it.")
        Path serviceBindingDir;
        @Option(names = "--type", paramLabel = "TYPE", description = "The servicebinding.io type (default: the service's first tag, else its name).")
        String type;
        @Option(names = "--provider", paramLabel = "PROVIDER", description = "The servicebinding.io provider (default: the broker's name here).")
        String provider;
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", description = InstanceCommands.TIMEOUT_HELP)
        Duration timeout;

        @Override
        public Integer call() throws JsonProcessingException {
            Session session = root.session();
            if (serviceBindingDir != null) {
                ServiceBindingDirectory.checkUsable(serviceBindingDir);
            }
            session.note("Binding service instance " + name + " to app " + app + "...");
            Bindings.Bound bound = new Bindings(session).bind(name, app, bindingName,
                    RequestParameters.parse(parameters, session.json), timeout);
            if (serviceBindingDir == null) {
                JsonNode vcap = new VcapServices(session.json).add(bound.service(), bound.binding(), bound.response()).json();
                session.terminal.out().println(session.json.writerWithDefaultPrettyPrinter().writeValueAsString(vcap));
                return 0;
            }
            ServiceRecord service = bound.service();
            String bindingType = type != null ? type : service.tags().isEmpty() ? service.serviceName() : service.tags().get(0);
            String bindingProvider = provider != null ? provider : service.broker();
            JsonNode credentials = bound.response().path("credentials");
            List<String> skipped = new ArrayList<>();
            Map<String, String> entries = ServiceBindingDirectory.entries(
                    credentials.isObject() ? credentials : session.json.createObjectNode(), bindingType, bindingProvider, skipped);
            ServiceBindingDirectory.write(serviceBindingDir, entries);
            skipped.forEach(field -> session.note("Credential field not written: " + field));
            session.terminal.out().println("OK: binding of " + name + " to " + app + " written to " + serviceBindingDir
                    + " (type " + bindingType + ", provider " + bindingProvider + ", " + entries.size() + " entries)");
            return 0;
        }
    }

    @Command(name = "unbind", mixinStandardHelpOptions = true, description = "Unbinds a service instance from an app and waits for it.")
    static final class Unbind implements Callable<Integer> {
        @ParentCommand
        ServicePackCli root;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "APP")
        String app;
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", description = InstanceCommands.TIMEOUT_HELP)
        Duration timeout;

        @Override
        public Integer call() {
            Session session = root.session();
            session.note("Unbinding service instance " + name + " from app " + app + "...");
            new Bindings(session).unbind(name, app, timeout);
            session.terminal.out().println("OK: " + name + " unbound from " + app);
            return 0;
        }
    }

    @Command(name = "env", mixinStandardHelpOptions = true,
            description = {"Prints VCAP_SERVICES with all of an app's bindings, their credentials fetched again from"
                    + " the brokers (GET binding; the brokers must allow bindings_retrievable).",
                    "Use: export VCAP_SERVICES=\"$(servicepack env APP)\""})
    static final class Env implements Callable<Integer> {
        @ParentCommand
        ServicePackCli root;
        @Parameters(paramLabel = "APP")
        String app;

        @Override
        public Integer call() throws JsonProcessingException {
            Session session = root.session();
            Bindings bindings = new Bindings(session);
            VcapServices vcap = new VcapServices(session.json);
            int count = 0;
            for (ServiceRecord service : session.services.load().services().values()) {
                BindingRecord binding = service.bindings().get(app);
                if (binding == null) {
                    continue;
                }
                if (binding.lastOperation() != null && binding.lastOperation().type().equals(Bindings.BIND)
                        && !Operation.SUCCEEDED.equals(binding.lastOperation().state())) {
                    session.note("Left out: the binding of " + service.name() + " to " + app + " is '"
                            + ServicesCommands.describe(binding.lastOperation()) + "'");
                    continue;
                }
                Bindings.Bound bound = bindings.current(service.name(), app);
                vcap.add(bound.service(), bound.binding(), bound.response());
                count++;
            }
            if (count == 0) {
                throw CliFailure.usage("app '" + app + "' has no bindings made with this CLI");
            }
            session.terminal.out().println(session.json.writerWithDefaultPrettyPrinter().writeValueAsString(vcap.json()));
            return 0;
        }
    }
}

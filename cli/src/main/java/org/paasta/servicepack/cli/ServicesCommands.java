package org.paasta.servicepack.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.paasta.servicepack.cli.LocalState.BindingRecord;
import org.paasta.servicepack.cli.LocalState.Operation;
import org.paasta.servicepack.cli.LocalState.ServiceRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** services, service: what this CLI created, as the state file remembers it (or the broker tells it). */
final class ServicesCommands {
    private ServicesCommands() {
    }

    @Command(name = "services", mixinStandardHelpOptions = true, description = "Lists the service instances created with this CLI.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        ServicePackCli root;

        @Override
        public Integer call() {
            Session session = root.session();
            LocalState state = session.services.load();
            if (state.services().isEmpty()) {
                session.terminal.out().println("No service instances (state file " + session.services.file() + ").");
                return 0;
            }
            Table table = new Table("name", "service", "plan", "broker", "bound apps", "last operation");
            for (ServiceRecord service : state.services().values()) {
                table.row(service.name(), service.serviceName(), service.planName(), service.broker(),
                        String.join(", ", service.bindings().keySet()), describe(service.lastOperation()));
            }
            table.print(session.terminal.out());
            return 0;
        }
    }

    @Command(name = "service", mixinStandardHelpOptions = true,
            description = "Shows one service instance; --refresh asks the broker (last_operation while one is in"
                    + " progress, else GET instance), --wait also waits for an operation in progress to end.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ServicePackCli root;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--refresh", description = "Ask the broker how the instance is now.")
        boolean refresh;
        @Option(names = "--wait", description = "Ask the broker, and wait for an operation in progress to end.")
        boolean await;
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", description = InstanceCommands.TIMEOUT_HELP)
        Duration timeout;

        @Override
        public Integer call() {
            Session session = root.session();
            ServiceRecord service = session.services.require(name);
            if (refresh || await) {
                service = new Instances(session).refresh(name, await, timeout);
                if (service == null) {
                    session.terminal.out().println("service instance " + name + " is deleted: the broker finished deleting it");
                    return 0;
                }
            }
            var out = session.terminal.out();
            out.println("name:            " + service.name());
            out.println("service:         " + service.serviceName());
            out.println("plan:            " + service.planName());
            out.println("broker:          " + service.broker());
            out.println("instance id:     " + service.instanceId());
            if (service.dashboardUrl() != null) {
                out.println("dashboard:       " + service.dashboardUrl());
            }
            Operation last = service.lastOperation();
            out.println("last operation:  " + describe(last) + (last == null || last.at() == null ? "" : " (" + last.at() + ")"));
            if (last != null && last.description() != null) {
                out.println("                 " + OsbResponse.oneLine(last.description()));
            }
            if (service.bindings().isEmpty()) {
                out.println("bound apps:      none");
            } else {
                Table table = new Table("bound app", "binding name", "binding id", "last operation");
                for (BindingRecord binding : service.bindings().values()) {
                    table.row(binding.app(), binding.bindingName(), binding.bindingId(), describe(binding.lastOperation()));
                }
                out.println();
                table.print(out);
            }
            return 0;
        }
    }

    static String describe(Operation operation) {
        return operation == null ? "" : operation.type() + " " + operation.state();
    }
}

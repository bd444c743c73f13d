package org.paasta.servicepack.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import org.paasta.servicepack.cli.LocalState.ServiceRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** create-service, update-service, delete-service. */
final class InstanceCommands {
    static final String TIMEOUT_HELP = "How long to wait for an asynchronous operation (default: 10m; a plan's"
            + " maximum_polling_duration, when shorter, wins).";

    private InstanceCommands() {
    }

    @Command(name = "create-service", mixinStandardHelpOptions = true,
            description = "Provisions a service instance (service and plan by their catalog names) and waits for it.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        ServicePackCli root;
        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;
        @Parameters(index = "1", paramLabel = "PLAN")
        String plan;
        @Parameters(index = "2", paramLabel = "NAME", description = "Your name for the instance, used by the other commands.")
        String name;
        @Option(names = "-c", paramLabel = "PARAMETERS", description = "Parameters as a JSON object, or @FILE with one.")
        String parameters;
        @Option(names = {"-b", "--broker"}, paramLabel = "BROKER", description = "Broker to use (default: the targeted one).")
        String broker;
        @Option(names = "--instance-id", paramLabel = "ID", description = "Instance id to use (default: a new UUID).")
        String instanceId;
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", description = TIMEOUT_HELP)
        Duration timeout;

        @Override
        public Integer call() {
            Session session = root.session();
            String brokerName = session.brokerName(broker);
            session.note("Creating service instance " + name + " (" + service + ", plan " + plan + ") on broker " + brokerName + "...");
            ServiceRecord created = new Instances(session).create(brokerName, service, plan, name,
                    RequestParameters.parse(parameters, session.json), instanceId, timeout);
            session.terminal.out().println("OK: service instance " + name + " created (instance id " + created.instanceId() + ")"
                    + (created.dashboardUrl() == null ? "" : "; dashboard: " + created.dashboardUrl()));
            return 0;
        }
    }

    @Command(name = "update-service", mixinStandardHelpOptions = true,
            description = "Changes the plan and/or the parameters of a service instance and waits for it.")
    static final class Update implements Callable<Integer> {
        @ParentCommand
        ServicePackCli root;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = {"-p", "--plan"}, paramLabel = "PLAN", description = "The new plan, by name.")
        String plan;
        @Option(names = "-c", paramLabel = "PARAMETERS", description = "Parameters as a JSON object, or @FILE with one.")
        String parameters;
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", description = TIMEOUT_HELP)
        Duration timeout;

        @Override
        public Integer call() {
            Session session = root.session();
            session.note("Updating service instance " + name + "...");
            ServiceRecord updated = new Instances(session).update(name, plan, RequestParameters.parse(parameters, session.json), timeout);
            session.terminal.out().println("OK: service instance " + name + " updated (plan " + updated.planName() + ")");
            return 0;
        }
    }

    @Command(name = "delete-service", mixinStandardHelpOptions = true,
            description = "Unbinds the instance's bindings, deprovisions it and waits for it.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        ServicePackCli root;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--local-only", description = "Only forget the instance here, without asking the broker"
                + " (for a broker that is gone for good).")
        boolean localOnly;
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", description = TIMEOUT_HELP)
        Duration timeout;

        @Override
        public Integer call() {
            Session session = root.session();
            ServiceRecord record = session.services.require(name);
            if (localOnly) {
                session.services.remove(name);
                session.terminal.out().println("OK: forgot service instance " + name + " (instance id " + record.instanceId()
                        + " on broker " + record.broker() + "); the broker was not asked");
                return 0;
            }
            Bindings bindings = new Bindings(session);
            for (String app : new ArrayList<>(record.bindings().keySet())) {
                session.note("Unbinding " + name + " from " + app + " first...");
                bindings.unbind(name, app, timeout);
            }
            session.note("Deleting service instance " + name + " on broker " + record.broker() + "...");
            new Instances(session).delete(name, timeout);
            session.terminal.out().println("OK: service instance " + name + " deleted");
            return 0;
        }
    }
}

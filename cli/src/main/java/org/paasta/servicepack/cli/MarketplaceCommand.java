package org.paasta.servicepack.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code marketplace}: the catalog as a table, one row per plan, as {@code cf marketplace -e} shows it. */
@Command(name = "marketplace", mixinStandardHelpOptions = true,
        description = "Lists the services and plans of a broker's catalog: description, free or paid, costs, bullets.")
final class MarketplaceCommand implements Callable<Integer> {
    @ParentCommand
    ServicePackCli root;
    @Option(names = {"-e", "--service"}, paramLabel = "SERVICE", description = "Only this service's plans.")
    String service;
    @Option(names = {"-b", "--broker"}, paramLabel = "BROKER", description = "Broker to ask (default: the targeted one).")
    String broker;

    @Override
    public Integer call() {
        Session session = root.session();
        OsbClient client = session.client(session.brokerName(broker));
        Catalog catalog = Catalog.fetch(client);
        List<Catalog.Offering> offerings = service == null ? catalog.services() : List.of(catalog.service(service));
        Table table = new Table("service", "plan", "description", "free or paid", "costs", "bullets");
        for (Catalog.Offering offering : offerings) {
            for (Catalog.Plan plan : offering.plans()) {
                table.row(offering.name(), plan.name(), plan.description(), plan.free() ? "free" : "paid", plan.costs(),
                        String.join("; ", plan.bullets()));
            }
        }
        session.note("Services and plans of broker " + client.name() + ":");
        if (table.isEmpty()) {
            session.terminal.out().println("No services in the catalog.");
        } else {
            table.print(session.terminal.out());
        }
        return 0;
    }
}

package org.paasta.servicepack.sdk.broker;

import java.util.function.Supplier;
import org.paasta.servicepack.sdk.BrokerException;

/** The exceptions the broker's own rules end in, with the texts platforms show operators. */
final class Refusals {
    private Refusals() {
    }

    /** The answer to a conflict: {@code gone} for a missing resource, 422 while busy, 400 for a mismatch. */
    static BrokerException of(Conflict conflict, Supplier<? extends BrokerException> gone) {
        if (conflict instanceof Conflict.Gone) {
            return gone.get();
        }
        if (conflict instanceof Conflict.Mismatch mismatch) {
            return new BadRequestException(mismatch.why());
        }
        if (conflict instanceof Conflict.InProgress running) {
            return new ConcurrencyException(running.why());
        }
        return new ConcurrencyException(((Conflict.Busy) conflict).why());
    }

    static InstanceNotFoundException instanceNotFound(String instanceId) {
        return new InstanceNotFoundException("instance " + PlanResolver.printable(instanceId) + " does not exist");
    }

    static BindingNotFoundException bindingNotFound(String bindingId) {
        return new BindingNotFoundException("binding " + PlanResolver.printable(bindingId) + " does not exist");
    }

    /**
     * The resource exists but never had this operation: a 400 that names it, rather than a 404 that
     * would tell the platform the resource is gone, or another operation's state under its name.
     */
    static BadRequestException unknownOperation(String operationId, String resource) {
        return new BadRequestException("operation " + PlanResolver.printable(operationId) + " is not an operation of "
                + resource + "; poll without an operation for its latest one");
    }
}

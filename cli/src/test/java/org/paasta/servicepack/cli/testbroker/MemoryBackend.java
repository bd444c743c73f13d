package org.paasta.servicepack.cli.testbroker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.OperationMode;
import org.paasta.servicepack.sdk.OperationType;
import org.paasta.servicepack.sdk.Origin;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.PlanChangeRefusedException;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.sdk.UpdateRequest;
import org.paasta.servicepack.sdk.secrets.Passwords;

/**
 * A backend whose resources are map entries, so a test sees what the broker really holds: which
 * instances exist, which binding passwords are valid, and who asked (the {@link Origin} of each
 * call). Plans {@code async} and {@code slow} run every operation asynchronously and take
 * {@link #ASYNC_WORK_MILLIS}; {@code "hold": true} holds a provision until {@link #release()}.
 */
public class MemoryBackend implements ServiceBackend<MemoryLimits> {
    static final long ASYNC_WORK_MILLIS = 500;

    public final Map<String, String> instances = new ConcurrentHashMap<>();
    /** Binding id to its valid password. */
    public final Map<String, String> passwords = new ConcurrentHashMap<>();
    public final List<Origin> origins = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch hold = new CountDownLatch(1);

    /** Lets held provisions finish. */
    public void release() {
        hold.countDown();
    }

    /** Makes the next {@code "hold": true} provisions wait again. */
    public void rearm() {
        hold = new CountDownLatch(1);
    }

    @Override
    public Class<MemoryLimits> limitsType() {
        return MemoryLimits.class;
    }

    @Override
    public OperationMode mode(OperationType type, Plan<MemoryLimits> plan) {
        return async(plan) ? OperationMode.ASYNC_WHEN_ACCEPTED : OperationMode.SYNC;
    }

    @Override
    public void provision(ProvisionRequest<MemoryLimits> request) {
        origins.add(request.origin());
        work(request.plan());
        if (Boolean.TRUE.equals(request.parameters().get("hold"))) {
            try {
                if (!hold.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("held provision was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
        if ("crash".equals(request.parameters().get("fail"))) {
            throw new IllegalStateException("the memory backend crashed on purpose");
        }
        instances.put(request.instanceId(), request.plan().name());
    }

    @Override
    public void update(UpdateRequest<MemoryLimits> request) {
        origins.add(request.origin());
        work(request.plan());
        if (request.plan().limits().bindings() < request.bindingIds().size()) {
            throw new PlanChangeRefusedException("plan " + request.plan().name() + " allows "
                    + request.plan().limits().bindings() + " bindings; the instance has " + request.bindingIds().size());
        }
        instances.put(request.instanceId(), request.plan().name());
    }

    @Override
    public void deprovision(DeprovisionRequest<MemoryLimits> request) {
        origins.add(request.origin());
        work(request.plan());
        instances.remove(request.instanceId());
        request.bindingIds().forEach(passwords::remove);
    }

    @Override
    public Credentials bind(BindRequest<MemoryLimits> request) {
        origins.add(request.origin());
        work(request.plan());
        String password = Passwords.generate();
        passwords.put(request.bindingId(), password);
        return Credentials.builder()
                .put("username", request.bindingId())
                .put("password", password)
                .put("uri", "memory://" + request.bindingId() + ":" + password + "@127.0.0.1:1234/" + request.instanceId())
                .put("host", "127.0.0.1")
                .put("port", 1234)
                .put("hosts", List.of("127.0.0.1"))
                .put("role", request.parameters().getOrDefault("role", "writer"))
                .build();
    }

    @Override
    public void unbind(UnbindRequest<MemoryLimits> request) {
        origins.add(request.origin());
        work(request.plan());
        passwords.remove(request.bindingId());
    }

    @Override
    public String dashboardUrl(String instanceId, Plan<MemoryLimits> plan) {
        return "https://dashboard.example/memory/" + instanceId;
    }

    private static boolean async(Plan<MemoryLimits> plan) {
        return plan.name().equals("async") || plan.name().equals("slow");
    }

    private static void work(Plan<MemoryLimits> plan) {
        if (!async(plan)) {
            return;
        }
        try {
            Thread.sleep(ASYNC_WORK_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

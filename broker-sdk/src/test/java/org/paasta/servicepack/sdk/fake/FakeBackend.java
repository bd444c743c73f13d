package org.paasta.servicepack.sdk.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.paasta.servicepack.sdk.BackendUnavailableException;
import org.paasta.servicepack.sdk.BindRequest;
import org.paasta.servicepack.sdk.CapacityExhaustedException;
import org.paasta.servicepack.sdk.Credentials;
import org.paasta.servicepack.sdk.DeprovisionRequest;
import org.paasta.servicepack.sdk.InvalidParametersException;
import org.paasta.servicepack.sdk.OperationMode;
import org.paasta.servicepack.sdk.OperationType;
import org.paasta.servicepack.sdk.Plan;
import org.paasta.servicepack.sdk.PlanChangeRefusedException;
import org.paasta.servicepack.sdk.ProvisionRequest;
import org.paasta.servicepack.sdk.ServiceBackend;
import org.paasta.servicepack.sdk.UnbindRequest;
import org.paasta.servicepack.sdk.UpdateRequest;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.UsageRequest;
import org.paasta.servicepack.sdk.secrets.Passwords;

/**
 * An in-memory backend for the SDK's own tests: the "resources" are map entries, so tests can see
 * exactly what the SDK asked the backend to do (and how often). Not for any claim about a real service.
 */
public class FakeBackend implements ServiceBackend<FakeLimits> {
    public final Map<String, String> instances = new ConcurrentHashMap<>();
    public final Map<String, String> users = new ConcurrentHashMap<>();
    public final AtomicInteger provisionCalls = new AtomicInteger();
    public final AtomicInteger bindCalls = new AtomicInteger();
    /** When set, provisions wait on it (to hold an operation "in progress"). */
    public volatile CountDownLatch provisionGate;
    public volatile RuntimeException failNextProvision;

    @Override
    public Class<FakeLimits> limitsType() {
        return FakeLimits.class;
    }

    @Override
    public OperationMode mode(OperationType type, Plan<FakeLimits> plan) {
        if (plan.name().equals("frozen") && type == OperationType.DEPROVISION) {
            return OperationMode.ASYNC_ONLY;
        }
        return plan.name().equals("large") ? OperationMode.ASYNC_WHEN_ACCEPTED : OperationMode.SYNC;
    }

    @Override
    public void provision(ProvisionRequest<FakeLimits> request) {
        provisionCalls.incrementAndGet();
        CountDownLatch gate = provisionGate;
        if (gate != null) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RuntimeException failure = failNextProvision;
        if (failure != null) {
            failNextProvision = null;
            throw failure;
        }
        if (Integer.valueOf(99).equals(request.parameters().get("size"))) {
            throw new CapacityExhaustedException("no room for an instance of size 99");
        }
        if ("blue".equals(request.parameters().get("color")) && Integer.valueOf(13).equals(request.parameters().get("size"))) {
            throw new InvalidParametersException("blue instances cannot have size 13");
        }
        instances.put(request.instanceId(), request.plan().name());
    }

    @Override
    public void update(UpdateRequest<FakeLimits> request) {
        if (request.plan().limits().size() < request.bindingIds().size()) {
            throw new PlanChangeRefusedException("plan " + request.plan().name() + " fits only "
                    + request.plan().limits().size() + " bindings; the instance has " + request.bindingIds().size());
        }
        instances.put(request.instanceId(), request.plan().name());
    }

    @Override
    public void deprovision(DeprovisionRequest<FakeLimits> request) {
        instances.remove(request.instanceId());
        request.bindingIds().forEach(users::remove);
    }

    @Override
    public Credentials bind(BindRequest<FakeLimits> request) {
        bindCalls.incrementAndGet();
        String password = Passwords.generate();
        users.put(request.bindingId(), password);
        return Credentials.builder().put("username", request.bindingId()).put("password", password)
                .put("uri", "fake://" + request.bindingId() + ":" + password + "@localhost/" + request.instanceId())
                .put("port", 1234).build();
    }

    @Override
    public void unbind(UnbindRequest<FakeLimits> request) {
        users.remove(request.bindingId());
    }

    /** Where the fake "server" is: a loopback address, as a broker left with its defaults has. */
    @Override
    public List<String> advertisedHosts() {
        return List.of("127.0.0.1");
    }

    /** When set, the backend has a dashboard of its own at this prefix (the SDK's is then not used). */
    public volatile String ownDashboard;

    @Override
    public String dashboardUrl(String instanceId, Plan<FakeLimits> plan) {
        return ownDashboard == null ? null : ownDashboard + instanceId;
    }

    /** Kilobytes "stored" per instance; a plan's limit is {@code size} MB. */
    public final Map<String, AtomicLong> storedKb = new ConcurrentHashMap<>();
    /** Open "connections" per binding. */
    public final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    /** When set, usage() throws it (BackendUnavailableException: the backend is down). */
    public volatile RuntimeException usageFailure;
    /** When set, usage() waits on it (a backend that does not answer). */
    public volatile CountDownLatch usageGate;
    public final AtomicInteger usageCalls = new AtomicInteger();

    /** What a test does as an app would: store data in the instance. */
    public void write(String instanceId, long kilobytes) {
        storedKb.computeIfAbsent(instanceId, id -> new AtomicLong()).addAndGet(kilobytes);
    }

    public void connect(String bindingId, int count) {
        connections.computeIfAbsent(bindingId, id -> new AtomicInteger()).addAndGet(count);
    }

    @Override
    public Usage usage(UsageRequest<FakeLimits> request) {
        usageCalls.incrementAndGet();
        CountDownLatch gate = usageGate;
        if (gate != null) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendUnavailableException("interrupted", e);
            }
        }
        RuntimeException failure = usageFailure;
        if (failure != null) {
            throw failure;
        }
        long stored = storedKb.getOrDefault(request.instanceId(), new AtomicLong()).get();
        double limitKb = request.plan().limits().size() * 1024.0;
        List<Usage.Measure> measures = new ArrayList<>();
        measures.add(Usage.Measure.of(new Usage.Text("Storage", "저장 공간"), stored, limitKb, "KB"));
        measures.add(Usage.Measure.of(new Usage.Text("Bindings", "바인딩"), request.bindingIds().size(),
                (double) request.plan().limits().size(), ""));
        for (String binding : request.bindingIds()) {
            measures.add(new Usage.Measure(new Usage.Text("Connections", "연결"),
                    connections.getOrDefault(binding, new AtomicInteger()).get(), null, "", binding));
        }
        List<Usage.Notice> notices = new ArrayList<>();
        if (stored >= limitKb) {
            notices.add(new Usage.Notice(Usage.Severity.CRITICAL, new Usage.Text(
                    "Writes revoked: the instance is over its storage limit. Delete data to write again.",
                    "쓰기 권한 회수됨: 인스턴스가 저장 공간 한도를 넘었습니다. 데이터를 지우면 다시 쓸 수 있습니다.")));
        }
        return new Usage(measures, notices);
    }
}

package org.paasta.servicepack.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.paasta.servicepack.sdk.Usage;
import org.paasta.servicepack.sdk.Usage.Measure;
import org.paasta.servicepack.sdk.Usage.Notice;
import org.paasta.servicepack.sdk.Usage.Severity;
import org.paasta.servicepack.sdk.Usage.Text;

/**
 * An instance's usage as its dashboard shows it, made from what its redis-server reports: memory
 * against {@code maxmemory} (past it, writes are refused: the plans evict nothing) and the writes
 * refused so far, connections against {@code maxclients}, keys, and connections per binding. The broker's own connections are
 * not counted as the app's.
 */
final class ServerUsage {
    static final double MEGABYTE = 1024 * 1024;
    /** From here on the dashboard warns: a write burst or a pool resize fills the rest quickly. */
    static final double NEAR_LIMIT = 0.9;

    static final Text MEMORY = new Text("Memory", "메모리");
    static final Text CONNECTIONS = new Text("Connections", "연결");
    static final Text KEYS = new Text("Keys", "키");
    static final Text BINDING_CONNECTIONS = new Text("Connections as this binding's own user",
            "이 바인딩 사용자로 연결된 연결");
    static final Text REFUSED_WRITES = new Text("Writes refused for lack of memory, since the server started",
            "메모리 부족으로 거부된 쓰기 (서버 시작 이후)");
    static final Text PASSWORD_ONLY_CONNECTIONS = new Text("Connections with a password only (any binding)",
            "비밀번호만으로 연결된 연결 (모든 바인딩)");

    private ServerUsage() {
    }

    /**
     * @param info       the answer to {@code INFO} (its default sections include memory, clients
     *                   and keyspace)
     * @param clientList the answer to {@code CLIENT LIST}
     * @param limits     the plan's limits, for a server that does not report its own
     * @param bindingIds the instance's bindings
     */
    static Usage of(String info, String clientList, RedisLimits limits, List<String> bindingIds) {
        Map<String, String> fields = fields(info);
        Map<String, Integer> connectionsByUser = connectionsByUser(clientList);
        int appConnections = connectionsByUser.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(ResourceNames.ADMIN_USER))
                .mapToInt(Map.Entry::getValue).sum();

        long usedMemory = number(fields, "used_memory", 0);
        long maxmemory = number(fields, "maxmemory", limits.maxmemoryBytes());
        long maxclients = number(fields, "maxclients", limits.maxclients());
        // Redis counts the errors it answered: OOM is a write refused under maxmemory.
        long refusedWrites = count(fields.get("errorstat_OOM"));
        long keys = fields.entrySet().stream()
                .filter(entry -> entry.getKey().matches("db\\d+"))
                .mapToLong(entry -> keysOf(entry.getValue()))
                .sum();

        List<Measure> measures = new ArrayList<>();
        // maxmemory 0 means no limit in Redis; the broker always sets one, an operator might not.
        measures.add(Measure.of(MEMORY, megabytes(usedMemory), maxmemory > 0 ? megabytes(maxmemory) : null, "MB"));
        measures.add(Measure.of(CONNECTIONS, appConnections, (double) maxclients, "connections"));
        measures.add(Measure.of(KEYS, keys, null, "keys"));
        measures.add(Measure.of(REFUSED_WRITES, refusedWrites, null, "writes"));
        for (String bindingId : bindingIds) {
            measures.add(new Measure(BINDING_CONNECTIONS,
                    connectionsByUser.getOrDefault(ResourceNames.bindingUser(bindingId), 0), null, "connections",
                    bindingId));
        }
        measures.add(Measure.of(PASSWORD_ONLY_CONNECTIONS,
                connectionsByUser.getOrDefault(BindingUsers.PASSWORD_ONLY_USER, 0), null, "connections"));

        List<Notice> notices = new ArrayList<>();
        if (maxmemory > 0 && usedMemory >= maxmemory) {
            notices.add(new Notice(Severity.CRITICAL, new Text(
                    "Memory is full: writes are refused (OOM) until keys are deleted or expire. This plan never"
                            + " evicts keys by itself; delete data, set expiries, or move to a plan with more memory.",
                    "메모리가 가득 찼습니다: 키를 삭제하거나 만료될 때까지 쓰기가 거부됩니다(OOM). 이 플랜은 키를 스스로"
                            + " 지우지 않습니다. 데이터를 지우거나 만료 시간을 두거나, 메모리가 더 큰 플랜으로 옮기십시오.")));
        } else if (maxmemory > 0 && usedMemory >= NEAR_LIMIT * maxmemory) {
            notices.add(new Notice(Severity.WARNING, new Text(
                    "Memory is above 90% of the plan's limit: once it is full, writes are refused (OOM).",
                    "메모리가 플랜 한도의 90%를 넘었습니다: 가득 차면 쓰기가 거부됩니다(OOM).")));
        } else if (refusedWrites > 0) {
            // A write is refused when it would not fit, so large values are refused well below
            // the limit: the count says so where the memory figure alone would not.
            notices.add(new Notice(Severity.WARNING, new Text(
                    refusedWrites + " writes were refused for lack of memory (OOM) since the server started: a write"
                            + " must fit under the plan's memory limit, and this plan never evicts keys by itself."
                            + " Delete data, set expiries, or move to a plan with more memory.",
                    "서버 시작 이후 메모리 부족으로 쓰기 " + refusedWrites + "건이 거부되었습니다(OOM): 쓰기는 플랜의"
                            + " 메모리 한도 안에 들어가야 하며, 이 플랜은 키를 스스로 지우지 않습니다. 데이터를 지우거나"
                            + " 만료 시간을 두거나, 메모리가 더 큰 플랜으로 옮기십시오.")));
        }
        if (appConnections >= NEAR_LIMIT * maxclients) {
            notices.add(new Notice(Severity.WARNING, new Text(
                    "Connections are near the plan's limit of " + maxclients + ": past it, new connections are"
                            + " refused. Make the apps' connection pools smaller.",
                    "연결 수가 플랜 한도(" + maxclients + ")에 가깝습니다: 넘으면 새 연결이 거부됩니다."
                            + " 앱의 연결 풀 크기를 줄이십시오.")));
        }
        return new Usage(measures, notices);
    }

    private static Map<String, String> fields(String info) {
        Map<String, String> fields = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    /** Connections per user name, from the {@code user=} field of each CLIENT LIST line. */
    private static Map<String, Integer> connectionsByUser(String clientList) {
        Map<String, Integer> counts = new HashMap<>();
        for (String line : clientList.split("\r?\n")) {
            for (String field : line.split(" ")) {
                if (field.startsWith("user=")) {
                    counts.merge(field.substring("user=".length()), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** {@code count=3} gives 3; absent gives 0. */
    private static long count(String errorstat) {
        if (errorstat == null || !errorstat.startsWith("count=")) {
            return 0;
        }
        try {
            return Long.parseLong(errorstat.substring("count=".length()).split(",")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code keys=12,expires=0,avg_ttl=0} gives 12. */
    private static long keysOf(String keyspace) {
        for (String part : keyspace.split(",")) {
            if (part.startsWith("keys=")) {
                return Long.parseLong(part.substring("keys=".length()));
            }
        }
        return 0;
    }

    private static long number(Map<String, String> fields, String name, long otherwise) {
        String value = fields.get(name);
        try {
            return value == null ? otherwise : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static double megabytes(long bytes) {
        return Math.round(bytes / MEGABYTE * 10) / 10.0;
    }
}

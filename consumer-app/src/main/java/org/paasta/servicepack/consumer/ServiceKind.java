package org.paasta.servicepack.consumer;

import java.util.List;

/**
 * The kinds of service this app uses, recognised in VCAP_SERVICES by the tags a broker's catalog
 * gives its service (the same tags java-cfenv looks for).
 */
enum ServiceKind {
    MYSQL("mysql", List.of("mysql", "mariadb")),
    REDIS("redis", List.of("redis")),
    RABBITMQ("rabbitmq", List.of("rabbitmq", "amqp")),
    MONGODB("mongodb", List.of("mongodb"));

    final String key;
    private final List<String> tags;

    ServiceKind(String key, List<String> tags) {
        this.key = key;
        this.tags = tags;
    }

    boolean matches(List<String> serviceTags) {
        return serviceTags.stream().anyMatch(tag -> tags.stream().anyMatch(tag::equalsIgnoreCase));
    }
}

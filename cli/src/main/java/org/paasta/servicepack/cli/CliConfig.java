package org.paasta.servicepack.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The config file: registered brokers, the targeted one, and who this CLI says it is to a broker.
 *
 * @param target   the broker commands use when none is named with {@code --broker}
 * @param platform the context and originating identity sent with every request
 */
record CliConfig(String target, Map<String, RegisteredBroker> brokers, PlatformSettings platform) {

    CliConfig {
        brokers = brokers == null ? new LinkedHashMap<>() : new LinkedHashMap<>(brokers);
        platform = platform == null ? PlatformSettings.NONE : platform;
    }

    static CliConfig empty() {
        return new CliConfig(null, null, null);
    }

    CliConfig withBroker(String name, RegisteredBroker broker) {
        Map<String, RegisteredBroker> copy = new LinkedHashMap<>(brokers);
        copy.put(name, broker);
        return new CliConfig(target == null ? name : target, copy, platform);
    }

    CliConfig withoutBroker(String name) {
        Map<String, RegisteredBroker> copy = new LinkedHashMap<>(brokers);
        copy.remove(name);
        return new CliConfig(name.equals(target) ? null : target, copy, platform);
    }

    CliConfig withTarget(String name) {
        return new CliConfig(name, brokers, platform);
    }

    /** The same config with any missing platform id made up (and then kept in the file). */
    CliConfig withPlatformDefaults() {
        return new CliConfig(target, brokers, platform.withDefaults());
    }

    /** A broker as registered with {@code register-broker}. */
    record RegisteredBroker(String url, String username, String password) {
        @Override
        public String toString() {
            return "RegisteredBroker[url=" + url + ", username=" + username + ", password=(redacted)]";
        }
    }

    /**
     * What the CLI tells a broker about the platform it stands in for. The OSB spec requires
     * {@code organization_guid} and {@code space_guid} in a provision; without a real Cloud Foundry
     * they are made up once, when the config file is created, and then kept so that a broker sees
     * the same "space" every time.
     *
     * @param user the originating identity's user; null means the local login name
     */
    record PlatformSettings(@JsonProperty("organization_guid") String organizationGuid,
                            @JsonProperty("organization_name") String organizationName,
                            @JsonProperty("space_guid") String spaceGuid,
                            @JsonProperty("space_name") String spaceName,
                            @JsonProperty("namespace") String namespace,
                            @JsonProperty("clusterid") String clusterId,
                            @JsonProperty("user") String user) {

        static final PlatformSettings NONE = new PlatformSettings(null, null, null, null, null, null, null);

        boolean complete() {
            return equals(withDefaults());
        }

        PlatformSettings withDefaults() {
            return new PlatformSettings(
                    organizationGuid != null ? organizationGuid : UUID.randomUUID().toString(),
                    organizationName != null ? organizationName : "servicepack-cli",
                    spaceGuid != null ? spaceGuid : UUID.randomUUID().toString(),
                    spaceName != null ? spaceName : "default",
                    namespace != null ? namespace : "default",
                    clusterId != null ? clusterId : UUID.randomUUID().toString(),
                    user);
        }
    }
}

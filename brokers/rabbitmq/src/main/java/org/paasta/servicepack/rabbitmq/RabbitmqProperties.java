package org.paasta.servicepack.rabbitmq;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code servicepack.rabbitmq.*}: how the broker administers RabbitMQ and what it tells apps.
 *
 * @param management             the management API the broker uses to administer the cluster
 * @param hostnames              AMQP hosts given to apps, one per cluster node (or a load balancer)
 *                               ({@code RABBITMQ_HOSTNAMES}); {@code host:port} where AMQP is on
 *                               another port there than the cluster's listener
 * @param ssl                    whether apps must speak AMQP over TLS ({@code amqps})
 * @param dashboardUrl           the management UI for people ({@code dashboard_url}); defaults to
 *                               the management API's public URL
 * @param protocols              protocol entry name ({@code amqp}, {@code amqp+ssl},
 *                               {@code management}, {@code mqtt}, {@code stomp}, ...) to the
 *                               port apps use; empty to list the cluster's own listeners
 * @param connectionCloseTimeout how long unbind waits for a deleted user's connections to close
 *
 * <p>{@code connection-settle}, which older versions read, is no longer needed (see
 * {@code RabbitmqBackend#unbind}); a configuration that still sets it starts as before, the key
 * is ignored.
 */
@ConfigurationProperties("servicepack.rabbitmq")
public record RabbitmqProperties(@DefaultValue Management management, @DefaultValue("127.0.0.1") List<String> hostnames,
                                 @DefaultValue("false") boolean ssl, String dashboardUrl,
                                 Map<String, Integer> protocols,
                                 @DefaultValue("15s") Duration connectionCloseTimeout) {

    public RabbitmqProperties {
        protocols = protocols == null ? Map.of() : Map.copyOf(protocols);
        String amqp = ssl ? "amqp+ssl" : "amqp";
        if (!protocols.isEmpty() && !protocols.containsKey(amqp)) {
            // An environment variable cannot spell the '+' of amqp+ssl; SPRING_APPLICATION_JSON can.
            throw new MissingSettingException("servicepack.rabbitmq.protocols[" + amqp + "]",
                    ssl ? "SPRING_APPLICATION_JSON" : "SERVICEPACK_RABBITMQ_PROTOCOLS_AMQP",
                    "the " + amqp + " port apps connect to (e.g. " + (ssl
                            ? "{\"servicepack.rabbitmq.protocols[amqp+ssl]\": 5671}" : "5672")
                            + "): once protocols are listed, " + amqp + " must be among them; list none to use"
                            + " the cluster's own listeners");
        }
        hostnames = hostnames == null ? List.of() : hostnames.stream().map(String::trim).filter(h -> !h.isEmpty())
                .toList();
        // host or host:port, refused at startup rather than at the first bind
        hostnames.forEach(BindingCredentials.Address::parse);
        if (hostnames.isEmpty()) {
            throw new MissingSettingException("servicepack.rabbitmq.hostnames", "RABBITMQ_HOSTNAMES",
                    "the AMQP hosts apps are given, comma-separated, one per cluster node or a load balancer");
        }
        if (management == null || management.url().isEmpty()) {
            throw new MissingSettingException("servicepack.rabbitmq.management.url", "RABBITMQ_MANAGEMENT_URL",
                    "the RabbitMQ management API the broker administers, e.g. http://rabbitmq.internal:15672"
                            + " (several nodes comma-separated)");
        }
        if (blank(management.username())) {
            throw new MissingSettingException("servicepack.rabbitmq.management.username", "RABBITMQ_ADMIN_USERNAME",
                    "a RabbitMQ user with the administrator tag, that the broker administers the cluster as");
        }
        if (blank(management.password())) {
            throw new MissingSettingException("servicepack.rabbitmq.management.password", "RABBITMQ_ADMIN_PASSWORD",
                    "the password of RABBITMQ_ADMIN_USERNAME");
        }
    }

    /**
     * @param url            where the broker reaches the management API, e.g. {@code http://127.0.0.1:15672}
     *                       ({@code RABBITMQ_MANAGEMENT_URL}); on a cluster, each node's, comma-separated:
     *                       a call that cannot reach one goes to the next
     * @param username       a RabbitMQ user with the {@code administrator} tag ({@code RABBITMQ_ADMIN_USERNAME})
     * @param password       its password ({@code RABBITMQ_ADMIN_PASSWORD})
     * @param publicUrl      where apps reach the same API ({@code http_api_uri}); defaults to {@code url}
     * @param requestTimeout the longest one management API call may take (health checks included)
     */
    public record Management(@DefaultValue("http://127.0.0.1:15672") List<URI> url, String username,
                             String password, URI publicUrl, @DefaultValue("30s") Duration requestTimeout) {
        public Management {
            url = url == null ? List.of() : url.stream().filter(u -> !u.toString().isBlank()).toList();
        }

        public URI effectivePublicUrl() {
            return publicUrl == null ? url.get(0) : publicUrl;
        }

        /** Never the password: a record's own toString would print it. */
        @Override
        public String toString() {
            return "Management[url=" + url + ", username=" + username + ", publicUrl=" + publicUrl
                    + ", requestTimeout=" + requestTimeout + "]";
        }
    }

    BindingCredentials.Endpoints endpoints() {
        URI api = management.effectivePublicUrl();
        return new BindingCredentials.Endpoints(hostnames, ssl, api, dashboardUrl == null ? api.toString() : dashboardUrl);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

package org.paasta.servicepack.mongodb;

import java.util.List;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code servicepack.mongodb.*}: how the broker reaches MongoDB.
 *
 * @param uri   the admin connection string, e.g.
 *              {@code mongodb://broker:secret@db1:27017,db2:27017/admin?replicaSet=rs0&tls=true}; its
 *              user needs the root role (or userAdminAnyDatabase, dbAdminAnyDatabase and
 *              killAnySession)
 * @param hosts {@code host[:port]} entries written into bindings instead of the URI's hosts, for
 *              deployments that applications reach under other names than the broker does
 */
@ConfigurationProperties("servicepack.mongodb")
public record MongodbProperties(String uri, List<String> hosts) {
    public MongodbProperties {
        if (uri == null || uri.isBlank()) {
            throw new MissingSettingException("servicepack.mongodb.uri", "MONGODB_ADMIN_URI",
                    "the admin connection string of the MongoDB deployment, as a user with the root role, e.g."
                            + " mongodb://broker:<password>@db1:27017,db2:27017/admin?replicaSet=rs0");
        }
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
}

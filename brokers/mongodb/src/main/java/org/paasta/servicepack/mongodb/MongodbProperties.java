package org.paasta.servicepack.mongodb;

import com.mongodb.ConnectionString;
import java.util.List;
import org.paasta.servicepack.sdk.config.MissingSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code servicepack.mongodb.*}: how the broker reaches MongoDB.
 *
 * @param uri   the admin connection string ({@code MONGODB_ADMIN_URI}), e.g.
 *              {@code mongodb://broker:secret@db1:27017,db2:27017/admin?replicaSet=rs0&tls=true}; its
 *              user needs the root role (or userAdminAnyDatabase, dbAdminAnyDatabase and
 *              killAnySession)
 * @param hosts {@code host[:port]} entries written into bindings instead of the URI's hosts, for
 *              deployments that applications reach under other names than the broker does
 *              ({@code SERVICEPACK_MONGODB_HOSTS}, comma-separated)
 */
@ConfigurationProperties("servicepack.mongodb")
public record MongodbProperties(String uri, List<String> hosts) {
    private static final String URI_PURPOSE = "the admin connection string of the MongoDB deployment, as a user with"
            + " the root role, e.g. mongodb://broker:<password>@db1:27017,db2:27017/admin?replicaSet=rs0";

    public MongodbProperties {
        if (uri == null || uri.isBlank()) {
            throw new MissingSettingException("servicepack.mongodb.uri", "MONGODB_ADMIN_URI", URI_PURPOSE);
        }
        hosts = hosts == null ? List.of() : hosts.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
        ConnectionString admin;
        try {
            admin = new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            // Not the driver's text: it may quote the URI, and with it the admin password.
            throw new MissingSettingException("servicepack.mongodb.uri", "MONGODB_ADMIN_URI",
                    "a valid connection string (mongodb:// or mongodb+srv://, user and password percent-encoded): "
                            + URI_PURPOSE);
        }
        if (admin.isSrvProtocol() && hosts.size() > 1) {
            throw new MissingSettingException("servicepack.mongodb.hosts", "SERVICEPACK_MONGODB_HOSTS",
                    "one SRV host name at most: the admin URI is mongodb+srv://, so bindings name one SRV host");
        }
    }

    /** The admin connection string, parsed. */
    ConnectionString adminUri() {
        return new ConnectionString(uri);
    }

    /** Where applications reach the deployment: {@link #hosts} if given, else the admin URI's. */
    ClientAddress clientAddress() {
        return ClientAddress.of(adminUri(), hosts);
    }

    /** Never the URI: it carries the admin password. */
    @Override
    public String toString() {
        return "MongodbProperties[hosts=" + hosts + "]";
    }
}

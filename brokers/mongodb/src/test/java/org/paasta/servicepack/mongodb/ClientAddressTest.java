package org.paasta.servicepack.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    @Test
    void aReplicaSetWithTlsKeepsEveryHostAndOption() {
        ClientAddress address = ClientAddress.of(new ConnectionString(
                "mongodb://root:s3cret@db1.example:27017,db2.example:27018,db3.example/admin?replicaSet=rs0&tls=true"
                        + "&w=majority"), List.of());

        assertThat(address.hosts()).containsExactly("db1.example:27017", "db2.example:27018", "db3.example:27017");
        assertThat(address.port()).isEqualTo(27017);
        String uri = address.uri("binding-1", "pw", "sp-abc");
        assertThat(uri).isEqualTo("mongodb://binding-1:pw@db1.example:27017,db2.example:27018,db3.example:27017"
                + "/sp-abc?authSource=sp-abc&replicaSet=rs0&tls=true");
        assertThat(uri).doesNotContain("root", "s3cret", "majority");
    }

    @Test
    void credentialsArePercentEncodedAndReadBackByTheDriver() {
        ClientAddress address = ClientAddress.of(new ConnectionString("mongodb://a:b@[::1]:27017,10.0.0.2/admin"),
                List.of());
        String user = "user with:odd@chars/+%";
        String password = "p@ss:w/rd +100%é";

        ConnectionString parsed = new ConnectionString(address.uri(user, password, "sp-x"));

        assertThat(parsed.getUsername()).isEqualTo(user);
        assertThat(new String(parsed.getPassword())).isEqualTo(password);
        assertThat(parsed.getHosts()).containsExactlyInAnyOrder("[::1]:27017", "10.0.0.2:27017");
        assertThat(parsed.getCredential().getSource()).isEqualTo("sp-x");
    }

    @Test
    void applicationsMayUseOtherHostsThanTheBroker() {
        ClientAddress address = ClientAddress.of(new ConnectionString("mongodb://a:b@10.0.0.5:27017/admin"),
                List.of("mongo.apps.internal", "mongo2.apps.internal:27100"));

        assertThat(address.hosts()).containsExactly("mongo.apps.internal:27017", "mongo2.apps.internal:27100");
        assertThat(address.replicaSet()).isNull();
        assertThat(address.uri("u", "p", "d")).isEqualTo(
                "mongodb://u:p@mongo.apps.internal:27017,mongo2.apps.internal:27100/d?authSource=d");
    }

    @Test
    void theAdvertisedHostNamesLeaveOutPortsAndBrackets() {
        ClientAddress address = ClientAddress.of(new ConnectionString("mongodb://a:b@[::1]:27017,10.0.0.2,db3:27018/x"),
                List.of());
        assertThat(address.hostNames()).containsExactlyInAnyOrder("::1", "10.0.0.2", "db3");

        ClientAddress srv = ClientAddress.of(new ConnectionString("mongodb+srv://a:b@cluster0.example.net/x"),
                List.of());
        assertThat(srv.hostNames()).containsExactly("cluster0.example.net");
    }

    @Test
    void anSrvAddressStaysAnSrvAddress() {
        ClientAddress address = new ClientAddress(List.of("cluster0.example.net"), null, true, true);

        assertThat(address.uri("u", "p", "d")).isEqualTo("mongodb+srv://u:p@cluster0.example.net/d?authSource=d");
        assertThat(address.port()).isNull();
    }
}

package org.paasta.servicepack.consumer;

import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** A row written and read back with JdbcTemplate, through the DataSource java-cfenv configured. */
final class MysqlCheck implements ServiceCheck {
    private final Environment environment;
    private final ObjectProvider<JdbcTemplate> jdbc;

    MysqlCheck(Environment environment, ObjectProvider<JdbcTemplate> jdbc) {
        this.environment = environment;
        this.jdbc = jdbc;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.MYSQL;
    }

    @Override
    public String writeAndRead() throws Exception {
        if (!ServiceCheckResults.configured(environment, "spring.datasource.url")) {
            throw new NotConfiguredException("spring.datasource.url");
        }
        JdbcTemplate template = jdbc.getObject();
        String id = UUID.randomUUID().toString();
        String payload = UUID.randomUUID().toString();
        template.execute("CREATE TABLE IF NOT EXISTS consumer_check"
                + " (id VARCHAR(36) PRIMARY KEY, payload VARCHAR(36) NOT NULL)");
        template.update("INSERT INTO consumer_check (id, payload) VALUES (?, ?)", id, payload);
        String read = template.queryForObject("SELECT payload FROM consumer_check WHERE id = ?", String.class, id);
        ServiceCheckResults.requireSame(payload, read, "row " + id);
        String database = template.queryForObject("SELECT DATABASE()", String.class);
        String driver = template.execute((ConnectionCallback<String>) connection -> connection.getMetaData().getDriverName());
        return "database=" + database + " driver=" + driver;
    }
}

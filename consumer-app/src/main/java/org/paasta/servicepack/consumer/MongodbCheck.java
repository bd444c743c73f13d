package org.paasta.servicepack.consumer;

import java.util.UUID;
import org.bson.Document;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.core.MongoTemplate;

/** A document inserted and read back with MongoTemplate, in the database of the binding's uri. */
final class MongodbCheck implements ServiceCheck {
    private static final String COLLECTION = "consumer_check";

    private final Environment environment;
    private final ObjectProvider<MongoTemplate> mongo;

    MongodbCheck(Environment environment, ObjectProvider<MongoTemplate> mongo) {
        this.environment = environment;
        this.mongo = mongo;
    }

    @Override
    public ServiceKind kind() {
        return ServiceKind.MONGODB;
    }

    @Override
    public String writeAndRead() throws Exception {
        if (!ServiceCheckResults.configured(environment, "spring.data.mongodb.uri", "spring.data.mongodb.host")) {
            throw new NotConfiguredException("spring.data.mongodb.uri");
        }
        MongoTemplate template = mongo.getObject();
        String id = UUID.randomUUID().toString();
        String payload = UUID.randomUUID().toString();
        template.insert(new Document("_id", id).append("payload", payload), COLLECTION);
        Document read = template.findById(id, Document.class, COLLECTION);
        ServiceCheckResults.requireSame(payload, read == null ? null : read.get("payload"), "document " + id);
        return "database=" + template.getDb().getName();
    }
}

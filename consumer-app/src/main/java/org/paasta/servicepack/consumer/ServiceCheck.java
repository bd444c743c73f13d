package org.paasta.servicepack.consumer;

/**
 * Writes and reads data on one kind of bound service through the client Spring Boot configured
 * from the binding. Throws whatever the client throws: the caller reports it.
 */
interface ServiceCheck {
    ServiceKind kind();

    /**
     * Returns what the data went through (database, port, vhost), for the reader of the result:
     * never a user name's password.
     *
     * @throws NotConfiguredException when java-cfenv set none of the client's connection
     *     properties, so the client would fall back to Spring Boot's localhost defaults
     */
    String writeAndRead() throws Exception;
}

package org.paasta.servicepack.redis;

/**
 * One node of the dedicated-vm pool as the state store knows it. {@link #toString()} leaves the
 * passwords out.
 *
 * @param nodeId            {@code host:port}
 * @param adminUser         the user the broker logs in as: the operator's (usually {@code default})
 *                          until the node is first claimed, then {@link ResourceNames#ADMIN_USER}
 * @param adminPassword     that user's password
 * @param nextAdminPassword a password being rotated in: written before the node is changed, so a
 *                          crash in between cannot lose the node; null when no rotation is underway
 * @param instanceId        the instance the node belongs to, or null while it is in the pool
 */
record PoolNode(String nodeId, String host, int port, String adminUser, String adminPassword,
                String nextAdminPassword, String instanceId) {

    RedisLogin login() {
        return new RedisLogin(host, port, adminUser, adminPassword);
    }

    @Override
    public String toString() {
        return "PoolNode[" + nodeId + ", " + (instanceId == null ? "free" : "instance " + instanceId) + "]";
    }
}

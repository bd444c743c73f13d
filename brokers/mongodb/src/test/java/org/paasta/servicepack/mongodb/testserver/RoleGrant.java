package org.paasta.servicepack.mongodb.testserver;

import java.util.Collection;
import java.util.Set;

/**
 * A built-in role granted on a database, and what the MongoDB test double lets it do. Only the roles
 * the broker and its tests rely on are modelled, with mongod's meaning:
 * <ul>
 *   <li>{@code read}: read data and list collections of its database;</li>
 *   <li>{@code readWrite}: also write, create and drop collections and indexes, but not drop the
 *       database nor manage users;</li>
 *   <li>{@code dbOwner}: also drop the database and manage its users and their roles on it;</li>
 *   <li>{@code root} (only on {@code admin}): everything, on every database and the server.</li>
 * </ul>
 */
record RoleGrant(String role, String db) {
    static final Set<String> MODELLED = Set.of("read", "readWrite", "dbOwner", "root");

    /** Whether mongod knows this role on this database ({@code root} exists only in {@code admin}). */
    boolean exists() {
        return MODELLED.contains(role) && (!role.equals("root") || db.equals("admin"));
    }

    static boolean isRoot(Collection<RoleGrant> grants) {
        return grants.stream().anyMatch(g -> g.role().equals("root") && g.db().equals("admin"));
    }

    static boolean canRead(Collection<RoleGrant> grants, String db) {
        return isRoot(grants) || grants.stream().anyMatch(g -> g.db().equals(db)
                && Set.of("read", "readWrite", "dbOwner").contains(g.role()));
    }

    static boolean canWrite(Collection<RoleGrant> grants, String db) {
        return isRoot(grants) || grants.stream().anyMatch(g -> g.db().equals(db)
                && Set.of("readWrite", "dbOwner").contains(g.role()));
    }

    /** dropDatabase and the user administration actions (createUser, dropUser, viewUser, grantRole). */
    static boolean canAdminister(Collection<RoleGrant> grants, String db) {
        return isRoot(grants) || grants.stream().anyMatch(g -> g.db().equals(db) && g.role().equals("dbOwner"));
    }

    /** Whether any grant gives some privilege on the database (what listDatabases shows a user). */
    static boolean touches(Collection<RoleGrant> grants, String db) {
        return isRoot(grants) || grants.stream().anyMatch(g -> g.db().equals(db));
    }
}

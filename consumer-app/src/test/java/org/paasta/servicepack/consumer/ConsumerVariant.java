package org.paasta.servicepack.consumer;

/** The two runnable jars of the app: the same code, each with one MySQL driver. */
enum ConsumerVariant {
    CONNECTOR_J("connectorj", "MySQL Connector/J"),
    MARIADB("mariadb", "MariaDB Connector/J");

    final String classifier;
    /** What {@code DatabaseMetaData.getDriverName()} answers with this driver. */
    final String driverName;

    ConsumerVariant(String classifier, String driverName) {
        this.classifier = classifier;
        this.driverName = driverName;
    }
}

package org.paasta.servicepack.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Files only their owner may read: the config holds broker passwords. Written whole to a 0600
 * temporary file and moved over the old one, so a crash never leaves half a file and there is no
 * moment when the content is readable by others. On a file system without POSIX permissions the
 * modes are skipped.
 */
final class PrivateFiles {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** The file's content, or empty when it does not exist. Refuses a file that others can read or write. */
    static Optional<String> read(Path file, String what) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        refuseShared(file, what);
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw CliFailure.usage("cannot read the " + what + " " + file + ": " + e.getMessage());
        }
    }

    static void write(Path file, String content, String what) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            createPrivateDirectory(dir);
            Path temp = posix(dir)
                    ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(temp, content, StandardCharsets.UTF_8);
                try {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw CliFailure.usage("cannot write the " + what + " " + file + ": " + e.getMessage());
        }
    }

    /**
     * Runs {@code work} holding an exclusive lock on {@code <file>.lock}, so two CLI processes
     * (a CI job binding four brokers in parallel) do not lose each other's read-modify-write.
     */
    static <T> T locked(Path file, Supplier<T> work) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try {
            createPrivateDirectory(lockFile.toAbsolutePath().getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return work.get();
            }
        } catch (IOException e) {
            throw CliFailure.usage("cannot lock " + lockFile + ": " + e.getMessage());
        }
    }

    private static void refuseShared(Path file, String what) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw CliFailure.usage("the " + what + " " + file + " is open to others ("
                        + PosixFilePermissions.toString(permissions) + "); it may hold broker passwords, so it must be"
                        + " readable by its owner only. Fix it with: chmod 600 " + file);
            }
        } catch (IOException e) {
            throw CliFailure.usage("cannot read the permissions of " + file + ": " + e.getMessage());
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        try {
            FileAttribute<?>[] attributes = posix(parent == null ? dir.getRoot() : parent)
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR)}
                    : new FileAttribute<?>[0];
            Files.createDirectory(dir, attributes);
        } catch (FileAlreadyExistsException e) {
            // Another process made it first.
        }
    }

    private static boolean posix(Path dir) {
        return dir != null && Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    }
}

package tollgate.core;

import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The permissions of what only the server's user may read: the data directory, the database, keys, backups. */
public final class OwnerOnly {
    /** 0600. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** 0700. */
    public static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    private OwnerOnly() {}

    /** Whether the file system {@code p} is on has POSIX permissions (false for null: a path with no parent). */
    public static boolean supported(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    public static FileAttribute<Set<PosixFilePermission>> asAttribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}

package tollgate.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A failed file operation said in words. java.nio.file's exceptions have the file's name alone as their message
 * ({@code /proc/x.zip.partial}) and tell why by their type, or by a reason of the system's ("Read-only file system"):
 * printed as they are, an operator read "tollgate: /proc/x" and learnt nothing.
 */
public final class FileFailure {
    private FileFailure() {}

    /** {@code "/proc/x: no such file or directory"}: the file (and the other one, of a move) and why. */
    public static String of(FileSystemException f) {
        return f.getFile() + (f.getOtherFile() == null ? "" : " (to " + f.getOtherFile() + ")") + ": " + reason(f);
    }

    /** Why, from the exception's type or the system's reason, in lower case: {@code "permission denied"}. */
    public static String reason(FileSystemException f) {
        if (f instanceof NoSuchFileException) return "no such file or directory";
        if (f instanceof AccessDeniedException) return "permission denied";
        if (f instanceof FileAlreadyExistsException) return "a file of that name exists already";
        if (f instanceof NotDirectoryException) return "not a directory";
        if (f instanceof DirectoryNotEmptyException) return "the directory is not empty";
        String reason = f.getReason();
        if (reason == null || reason.isBlank()) return f.getClass().getSimpleName();
        return Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }

    /**
     * {@code e} said with what was being done first ({@code "cannot write /proc/x: read-only file system"} for
     * {@code doing} "cannot write"), as an IOException whose cause it is; an I/O failure of another kind as it is.
     */
    public static IOException said(String doing, IOException e) {
        return e instanceof FileSystemException f ? new IOException(doing + " " + of(f), f) : e;
    }
}

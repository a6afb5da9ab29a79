package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** java.nio.file's exceptions name the file and tell why by their type: said here as a sentence, what and why. */
class FileFailureTest {
    @Test
    void theFileAndWhyAreSaidFromTheExceptionsTypeOrTheSystemsReason() {
        assertThat(FileFailure.said("cannot write", new NoSuchFileException("/proc/x.zip.partial")).getMessage())
                .isEqualTo("cannot write /proc/x.zip.partial: no such file or directory");
        assertThat(FileFailure.said("cannot write", new AccessDeniedException("/root/x")).getMessage())
                .isEqualTo("cannot write /root/x: permission denied");
        assertThat(FileFailure.said("cannot write", new FileSystemException("/mnt/ro/x", null, "Read-only file system")).getMessage())
                .isEqualTo("cannot write /mnt/ro/x: read-only file system");
        assertThat(FileFailure.of(new AccessDeniedException("/a.partial", "/b", null))).isEqualTo("/a.partial (to /b): permission denied");
        IOException other = new IOException("the disk said no");
        assertThat(FileFailure.said("cannot write", other)).isSameAs(other);
    }
}

/* pdf_file.c - writes the finished PDF atomically: a temporary file in the target's
 * directory, fsync, rename over the target. A reader (or a crash) sees either the
 * old file or the whole new one, never half a PDF. */
#include "pdf_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/* The mode a new file would get from open(0666): there is no call that reads the
 * umask without setting it. */
static mode_t new_file_mode(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return st.st_mode & 07777; /* replacing a file keeps its permissions */
    mode_t mask = umask(022);
    umask(mask);
    return 0666 & ~mask;
}

bool pdf_file_write_atomic(const char *path, const char *data, size_t len, pb_diags *diags)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *dir =
        slash ? pb_xstrndup(path, (size_t)(slash - path) + (slash == path)) : pb_xstrdup(".");
    pb_buf tmp;
    pb_buf_init(&tmp);
    int fd = -1;
    bool created = false, ok = false, reported = false;
    const char *step = "";

    if (!*base) {
        errno = EISDIR;
        step = "cannot write";
        goto fail;
    }
    /* rename(2) replaces whatever has the name: a named pipe, a device (as root even
     * /dev/null), a folder's entry. Only a regular file is ours to replace. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        pb_diag_add(diags, PB_ERROR, path, 0, 0, "cannot write '%s': it is %s, not a regular file",
                    path,
                    S_ISDIR(st.st_mode)                          ? "a folder"
                    : S_ISFIFO(st.st_mode)                       ? "a named pipe"
                    : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                 : "a special file");
        reported = true;
        goto fail;
    }
    /* hidden, next to the target: rename(2) is only atomic within one file system */
    if (slash)
        pb_buf_printf(&tmp, "%s%s.%s.XXXXXX", dir, slash == path ? "" : "/", base);
    else
        pb_buf_printf(&tmp, ".%s.XXXXXX", base);
    mode_t mode = new_file_mode(path);
    fd = mkstemp(tmp.data);
    if (fd < 0) {
        step = "cannot create a temporary file to write";
        goto fail;
    }
    created = true;
    step = "cannot write";
    if (fchmod(fd, mode) != 0 || !write_all(fd, data, len))
        goto fail;
    /* the data must be on disk before the rename makes it the file */
    if (fsync(fd) != 0)
        goto fail;
    int rc = close(fd);
    fd = -1;
    if (rc != 0)
        goto fail;
    step = "cannot replace";
    if (rename(tmp.data, path) != 0)
        goto fail;
    created = false;
    /* make the rename itself durable; failing here loses nothing already written */
    int dfd = open(dir, O_RDONLY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    ok = true;

fail:
    if (!ok) {
        int err = errno;
        if (!reported)
            pb_diag_add(diags, PB_ERROR, path, 0, 0, "%s '%s': %s", step, path, strerror(err));
        if (fd >= 0)
            close(fd);
        if (created)
            unlink(tmp.data);
    }
    pb_buf_free(&tmp);
    free(dir);
    return ok;
}

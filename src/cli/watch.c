/* watch.c - `paiban FILE --watch`: build, then rebuild whenever the document, its
 * layout file, an image it shows or a font in a fonts/ folder changes, keeping the
 * font registry and the caches between builds so that an edit costs only what it
 * changed. One line per build; errors are printed and the last good PDF stays (the
 * PDF is only ever replaced whole, see pdf_file.c). Ctrl-C ends it.
 *
 * We watch folders, not files (inotify, Linux): editors save by writing a new file
 * and renaming it over the old one, which ends a watch on the old file, and a watch
 * on the folder sees the new name arrive without being set up again. The folders'
 * own watches are set up again after every build, so a folder that was replaced
 * (or a fonts/ folder that appeared) is picked up. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long to wait after the last change before building, by what the change said:
 * a writer closed the file or renamed a new one in place, so the save is complete
 * and only what an editor does right after (a chmod, a second file) is waited for;
 * a write with the file still open (a writer that truncates, then writes in pieces);
 * the file went away (an editor that deletes it, then writes it anew). */
#define WATCH_SETTLE_S 0.008
#define WATCH_WRITING_S 0.150
#define WATCH_GONE_S 0.500
/* What a folder's watch reports: its files written, renamed in or out, created,
 * deleted; and the folder itself going away. */
#define WATCH_MASK                                                                                 \
    (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_ATTRIB | IN_DELETE |                \
     IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
/* How often to retry a folder that could not be watched (it does not exist yet). */
#define WATCH_RETRY_S 1.0

enum {
    DIR_FILES = 1,      /* some of its files are read by the build */
    DIR_FONTS = 2,      /* a fonts/ folder: any change in it */
    DIR_FONTS_HOME = 4, /* a fonts/ folder may appear in it */
};

typedef struct watch_dir {
    char *path;
    int wd;       /* -1: not watched */
    int flags;    /* DIR_* */
    char **names; /* files in it the build read */
    size_t n_names, cap_names;
} watch_dir;

typedef struct watcher {
    const pb_cli_opts *o;
    int ifd, sfd;
    watch_dir *dirs;
    size_t n_dirs, cap_dirs;
    bool dirty;       /* something changed since the last build */
    bool fonts_dirty; /* ... in a fonts/ folder: the registry is made anew */
    bool resync;      /* a watched folder went away: set up again after the build */
    double due;       /* when to build, if dirty */
    double retry;     /* when to try the missing folders again, 0: never */
    bool warned;      /* a folder could not be watched, and we said so */
    pb_cli_session session;
} watcher;

/* ---- the set of folders ---- */

static watch_dir *dir_get(watcher *w, const char *path, int flags)
{
    for (size_t i = 0; i < w->n_dirs; i++)
        if (!strcmp(w->dirs[i].path, path)) {
            w->dirs[i].flags |= flags;
            return &w->dirs[i];
        }
    watch_dir d = {pb_xstrdup(path), -1, flags, NULL, 0, 0};
    PB_PUSH(w->dirs, w->n_dirs, w->cap_dirs, d);
    return &w->dirs[w->n_dirs - 1];
}

static void dir_add_name(watcher *w, const char *file)
{
    char *dir = pb_cli_dir_of(file);
    const char *slash = strrchr(file, '/');
    const char *name = slash ? slash + 1 : file;
    watch_dir *d = dir_get(w, dir, DIR_FILES);
    free(dir);
    for (size_t i = 0; i < d->n_names; i++)
        if (!strcmp(d->names[i], name))
            return;
    char *copy = pb_xstrdup(name);
    PB_PUSH(d->names, d->n_names, d->cap_names, copy);
}

/* A file the build read. A symbolic link is watched as itself (it may be pointed
 * elsewhere) and as the file it points to, which is the one an editor writes. */
static void dir_add_file(watcher *w, const char *file)
{
    dir_add_name(w, file);
    char *real = realpath(file, NULL);
    if (real && strcmp(real, file))
        dir_add_name(w, real);
    free(real);
}

static void dirs_free(watch_dir *dirs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(dirs[i].path);
        for (size_t k = 0; k < dirs[i].n_names; k++)
            free(dirs[i].names[k]);
        free(dirs[i].names);
    }
    free(dirs);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Sets the watches up for what the last build read. New watches are added before
 * old ones go, so no change falls between them; inotify gives a folder watched twice
 * the same descriptor. */
static void watch_sync(watcher *w, const pb_build_summary *sum)
{
    watch_dir *old = w->dirs;
    size_t n_old = w->n_dirs;
    w->dirs = NULL;
    w->n_dirs = w->cap_dirs = 0;

    dir_add_file(w, w->o->input);
    if (sum->layout_file)
        dir_add_file(w, sum->layout_file);
    for (size_t i = 0; i < sum->n_images; i++)
        dir_add_file(w, sum->images[i]);
    char *fonts[3];
    size_t nf = pb_cli_font_dirs(w->o->input, fonts);
    for (size_t i = 0; i < nf; i++) {
        if (is_dir(fonts[i]))
            dir_get(w, fonts[i], DIR_FONTS);
        char *home = pb_cli_dir_of(fonts[i]);
        dir_get(w, home, DIR_FONTS_HOME);
        free(home);
        free(fonts[i]);
    }

    w->retry = 0;
    for (size_t i = 0; i < w->n_dirs; i++) {
        watch_dir *d = &w->dirs[i];
        d->wd = inotify_add_watch(w->ifd, d->path, WATCH_MASK);
        if (d->wd >= 0 || !(d->flags & DIR_FILES))
            continue;
        /* a folder that is not there (yet) is tried again; anything else is said once */
        if (errno == ENOENT || errno == ENOTDIR) {
            w->retry = pb_cli_now() + WATCH_RETRY_S;
        } else if (!w->warned) {
            fprintf(stderr, "paiban: warning: cannot watch '%s': %s%s\n", d->path, strerror(errno),
                    errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
            w->warned = true;
        }
    }
    for (size_t i = 0; i < n_old; i++) {
        if (old[i].wd < 0)
            continue;
        bool kept = false;
        for (size_t k = 0; k < w->n_dirs && !kept; k++)
            kept = w->dirs[k].wd == old[i].wd;
        if (!kept)
            inotify_rm_watch(w->ifd, old[i].wd);
    }
    dirs_free(old, n_old);
    w->resync = false;
}

/* ---- events ---- */

static void schedule(watcher *w, double wait)
{
    double due = pb_cli_now() + wait;
    /* the last change decides: a complete save after a partial write shortens it */
    w->due = due;
    w->dirty = true;
}

static void on_event(watcher *w, const struct inotify_event *ev)
{
    if (ev->mask & IN_Q_OVERFLOW) {
        /* events were lost: assume everything changed */
        w->fonts_dirty = true;
        schedule(w, WATCH_SETTLE_S);
        return;
    }
    for (size_t i = 0; i < w->n_dirs; i++) {
        watch_dir *d = &w->dirs[i];
        if (d->wd != ev->wd)
            continue;
        if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
            /* the folder itself went: watch again what is there after the build */
            d->wd = -1;
            w->resync = true;
            schedule(w, WATCH_GONE_S);
            continue;
        }
        const char *name = ev->len ? ev->name : "";
        if ((d->flags & DIR_FONTS_HOME) && !strcmp(name, "fonts")) {
            w->fonts_dirty = true;
            w->resync = true;
            schedule(w, WATCH_SETTLE_S);
        }
        /* hidden files are not fonts: fontconfig itself may put a .uuid there */
        if ((d->flags & DIR_FONTS) && name[0] != '.') {
            if (ev->mask & IN_MODIFY)
                schedule(w, WATCH_WRITING_S);
            else
                schedule(w, WATCH_SETTLE_S);
            w->fonts_dirty = true;
        }
        if (!(d->flags & DIR_FILES))
            continue;
        bool ours = false;
        for (size_t k = 0; k < d->n_names && !ours; k++)
            ours = !strcmp(d->names[k], name);
        if (!ours)
            continue; /* editors' swap files, our own temporary PDF, ... */
        if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB))
            schedule(w, WATCH_SETTLE_S);
        else if (ev->mask & (IN_MODIFY | IN_CREATE))
            schedule(w, WATCH_WRITING_S);
        else if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
            schedule(w, WATCH_GONE_S);
    }
}

static bool read_events(watcher *w)
{
    /* aligned as the events in it are (inotify(7)) */
    union {
        struct inotify_event ev;
        char buf[4096];
    } u;
    char *buf = u.buf;
    for (;;) {
        ssize_t n = read(w->ifd, buf, sizeof u.buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN;
        }
        if (n == 0)
            return true;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
            on_event(w, ev);
            p += sizeof *ev + ev->len;
        }
    }
}

/* Tries again the folders of files the build read that could not be watched: when
 * one is there now, so may be the file, and that is a change. */
static void retry_missing(watcher *w)
{
    w->retry = 0;
    for (size_t i = 0; i < w->n_dirs; i++) {
        watch_dir *d = &w->dirs[i];
        if (d->wd >= 0 || !(d->flags & DIR_FILES))
            continue;
        d->wd = inotify_add_watch(w->ifd, d->path, WATCH_MASK);
        if (d->wd >= 0)
            schedule(w, WATCH_SETTLE_S);
        else
            w->retry = pb_cli_now() + WATCH_RETRY_S;
    }
}

/* ---- builds ---- */

static void report(const watcher *w, int status, const pb_build_summary *sum)
{
    time_t now = time(NULL);
    struct tm tm;
    char clock[16] = "";
    if (localtime_r(&now, &tm))
        strftime(clock, sizeof clock, "%H:%M:%S", &tm);
    if (status != 0) {
        /* the diagnostics are out already; say what happened to the PDF */
        fprintf(stderr, "[%s] build failed (%zu error%s); %s\n", clock, sum->errors,
                sum->errors == 1 ? "" : "s",
                sum->wrote ? "the PDF was written" : "the last good PDF is kept");
        return;
    }
    if (w->o->quiet)
        return;
    fprintf(stderr,
            "[%s] wrote %s: %zu page%s, %zu warning%s, %.0f ms (paragraphs: %zu cached, %zu laid "
            "out; fonts: %zu reused, %zu subset; streams: %zu reused, %zu compressed)\n",
            clock, sum->output ? sum->output : "", sum->pages, sum->pages == 1 ? "" : "s", sum->warnings,
            sum->warnings == 1 ? "" : "s", sum->seconds * 1e3, sum->para_hits, sum->para_misses,
            sum->pdf.fonts_reused, sum->pdf.fonts_subset, sum->pdf.streams_reused,
            sum->pdf.streams_compressed);
}

/* What identifies a version of the document (the file a link points to included). */
static bool doc_stamp(const char *path, struct stat *st)
{
    memset(st, 0, sizeof *st);
    return stat(path, st) == 0;
}

static bool same_stamp(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static void build(watcher *w)
{
    if (w->fonts_dirty) {
        /* fonts come and go with fonts/: a new registry, and no cache that knew the old */
        pb_cli_session_close(&w->session);
        pb_cli_session_open(&w->session, w->o->input, true);
        w->fonts_dirty = false;
    }
    w->dirty = false;
    struct stat before, after;
    doc_stamp(w->o->input, &before);
    pb_build_summary sum;
    int st = pb_cli_build(w->o, &w->session, &sum);
    /* The watches follow what this build read; they are in place before the build is
     * reported, so a save right after the report is seen. A save during the build,
     * before a new watch existed, shows in the document's stamp: build again. */
    watch_sync(w, &sum);
    doc_stamp(w->o->input, &after);
    if (!same_stamp(&before, &after)) {
        w->dirty = true;
        w->due = pb_cli_now();
    }
    report(w, st, &sum);
    fflush(stderr);
    pb_cli_summary_free(&sum);
}

int pb_cli_watch(const pb_cli_opts *o)
{
    watcher w = {.o = o, .ifd = -1, .sfd = -1};
    int status = 0;

    /* Ctrl-C and kill arrive as readable data, so they end the loop between builds
     * and never in the middle of writing a PDF */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &sigs, NULL) != 0 ||
        (w.sfd = signalfd(-1, &sigs, SFD_CLOEXEC)) < 0) {
        fprintf(stderr, "paiban: error: --watch cannot handle signals: %s\n", strerror(errno));
        return 3;
    }
    w.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w.ifd < 0) {
        fprintf(stderr, "paiban: error: --watch cannot watch files: %s\n", strerror(errno));
        close(w.sfd);
        return 3;
    }
    pb_cli_session_open(&w.session, o->input, true);
    if (!o->quiet)
        fprintf(stderr, "paiban: watching %s (Ctrl-C stops)\n", o->input);
    /* the document's folder is watched before the first build reads it */
    pb_build_summary none;
    memset(&none, 0, sizeof none);
    watch_sync(&w, &none);
    build(&w);

    for (;;) {
        double now = pb_cli_now();
        double until = w.dirty ? w.due : -1;
        if (w.retry > 0 && (until < 0 || w.retry < until))
            until = w.retry;
        if (until >= 0 && until <= now) {
            if (w.retry > 0 && w.retry <= now)
                retry_missing(&w);
            if (w.dirty && w.due <= now)
                build(&w);
            continue;
        }
        int timeout = until < 0 ? -1 : (int)((until - now) * 1000) + 1;
        struct pollfd fds[2] = {{w.ifd, POLLIN, 0}, {w.sfd, POLLIN, 0}};
        int n = poll(fds, 2, timeout);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "paiban: error: --watch: %s\n", strerror(errno));
            status = 3;
            break;
        }
        if (fds[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(w.sfd, &si, sizeof si) == (ssize_t)sizeof si && !o->quiet)
                fprintf(stderr, "paiban: stopped watching %s\n", o->input);
            break;
        }
        if ((fds[0].revents & POLLIN) && !read_events(&w)) {
            fprintf(stderr, "paiban: error: --watch: %s\n", strerror(errno));
            status = 3;
            break;
        }
    }

    pb_cli_session_close(&w.session);
    dirs_free(w.dirs, w.n_dirs);
    close(w.ifd);
    close(w.sfd);
    sigprocmask(SIG_UNBLOCK, &sigs, NULL);
    return status;
}

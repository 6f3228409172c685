/*
 * walk.c — finding the files to index under the paths given to passim-index.
 *
 * Folders are read in name order (so runs are reproducible), symbolic links are
 * followed, and a folder already on the way down is a loop: noted, not entered
 * again (its files are walked once, from that folder; nothing has failed).
 * Hidden names (".git", ".cache") are skipped inside folders but not when
 * given explicitly, and so are names matching a pattern of a ".passimignore"
 * file in the folder or a folder above it, above the root too, up to the
 * folder that holds the index or the filesystem root (one shell glob per line,
 * as in .gitignore: matched against names, or, when it has a '/' before its
 * end, against the path below that file's folder; a trailing '/' matches only
 * folders; "#" starts a comment). Xapian index folders are
 * passed over whole: another index's files are not articles. Reading files is
 * left to the caller.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "indexer.h"
#include "lines.h"

/* Folders on the current path from the root, by device and inode (loop check),
 * with the ignore patterns each one adds; past the root, the chain goes on with
 * the folders above it that have a .passimignore (only their patterns count). */
/* A line of a .passimignore. */
typedef struct ignore {
    char *glob;          /* without a leading or trailing '/' */
    bool folders_only;   /* it ended in '/' */
    bool path;           /* it held a '/' before its end: matched against the
                            path below the folder of the .passimignore */
} ignore_t;

typedef struct dir_stack {
    dev_t dev;
    ino_t ino;
    size_t path_len;     /* its path is the walk's current path cut to this length */
    const char *key;     /* its canonical path, or NULL (unknown, or above the root) */
    ignore_t *ignore;    /* the patterns of its .passimignore (glob NULL ends them), or NULL */
    const char *to_root; /* above the root: the root's path below it ("a/b"), or NULL */
    const struct dir_stack *up;
} dir_stack_t;

#define IGNORE_FILE ".passimignore"

/* Put line (a .passimignore pattern, trimmed) in *pat. False if it matches
 * nothing ("/"), or memory ran out. */
static bool parse_ignore(const char *line, size_t len, ignore_t *pat)
{
    pat->folders_only = len > 0 && line[len - 1] == '/';
    while (len > 0 && line[len - 1] == '/')
        len--;
    bool anchored = len > 0 && line[0] == '/';
    while (len > 0 && line[0] == '/') {
        line++;
        len--;
    }
    pat->path = anchored || memchr(line, '/', len) != NULL;
    return len > 0 && (pat->glob = strndup(line, len)) != NULL;
}

static void free_ignore(ignore_t *pats)
{
    for (size_t i = 0; pats && pats[i].glob; i++)
        free(pats[i].glob);
    free(pats);
}

/* The errno of an ignore file that is no regular file (a pipe, which would
 * block the walk, or a device): said as such (ignore_strerror()). */
#define IGNORE_NOT_REGULAR ENODEV

static const char *ignore_strerror(int err)
{
    return err == IGNORE_NOT_REGULAR ? "not a regular file" : strerror(err);
}

/* The patterns of dir's ignore file into *out (NULL: none). False, with
 * errno, if there is one that cannot be read: what it ignores is unknown
 * (IGNORE_NOT_REGULAR: it is no regular file). A byte order mark, UTF-16 and
 * UTF-32 and CRLF line ends are read; other bytes are names' bytes. */
static bool read_ignore(const char *dir, ignore_t **out)
{
    *out = NULL;
    text_buf_t path = TEXT_BUF_INIT;
    if (!text_buf_printf(&path, "%s/%s", dir, IGNORE_FILE)) {
        errno = ENOMEM;
        return false;
    }
    /* Opened without waiting: a pipe of that name would wait for a writer. */
    int fd = open(path.data, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    text_buf_free(&path);
    if (fd < 0)
        return errno == ENOENT;
    struct stat st;
    int err = fstat(fd, &st) != 0   ? errno
              : S_ISDIR(st.st_mode) ? EISDIR
              : !S_ISREG(st.st_mode) ? IGNORE_NOT_REGULAR
                                    : 0;
    FILE *f = err == 0 ? fdopen(fd, "r") : NULL;
    if (!f) {
        err = err != 0 ? err : errno;
        close(fd);
        errno = err;
        return false;
    }
    text_lines_t lines;
    bool ok = text_lines_read_names(&lines, f);
    err = ok ? 0 : errno;
    fclose(f);
    ignore_t *pats = NULL;
    size_t n = 0, cap = 0;
    text_line_t line;
    while (ok && text_lines_next(&lines, &line)) {
        char *pat = line.text;
        size_t len = line.len;
        while (len > 0 && pat[len - 1] == ' ')
            pat[--len] = '\0';
        if (len == 0 || pat[0] == '#')
            continue;
        ignore_t *grown = text_grow(pats, &cap, n + 2, sizeof *pats);
        if (!grown) {
            ok = false;         /* patterns left unread: as if unreadable */
            err = ENOMEM;
            break;
        }
        pats = grown;
        pats[n].glob = NULL;
        errno = 0;
        if (parse_ignore(pat, len, &pats[n])) {
            pats[++n].glob = NULL;
        } else if (errno == ENOMEM) {
            ok = false;         /* a pattern lost: likewise */
            err = ENOMEM;
        }
    }
    text_lines_free(&lines);
    if (!ok) {
        free_ignore(pats);
        errno = err;
        return false;
    }
    *out = pats;
    return true;
}

typedef struct walk {
    const char *root;          /* as given, without trailing slashes */
    const char *skip_key;      /* realpath of a folder to skip, or NULL */
    const idx_walk_cb_t *cb;
    text_buf_t path;           /* current path as given */
    const dir_stack_t *above;  /* the folders above the root (their patterns), or NULL */
    char *root_place;          /* idx_place_of(root), or NULL */
    char *root_key;            /* realpath(root), or NULL */
} walk_t;

/* Whether the entry name of the folder being read (the walk's current path)
 * is a folder, links followed. */
static bool entry_is_folder(const walk_t *w, const char *name)
{
    text_buf_t path = TEXT_BUF_INIT;
    struct stat st;
    bool folder = text_buf_printf(&path, "%s/%s", w->path.data, name)
                  && stat(path.data, &st) == 0 && S_ISDIR(st.st_mode);
    text_buf_free(&path);
    return folder;
}

/* Put in rel the path of the entry name of the folder being read below d, the
 * folder of a .passimignore: the walk's path past d's, or, above the root,
 * the root's path below d and the walk's path past the root. */
static bool path_below(const walk_t *w, const dir_stack_t *d, const char *name, text_buf_t *rel)
{
    if (!d->to_root && d->path_len == 0)
        return false; /* above the root, and where the root is below it is unknown */
    const char *past = d->to_root ? w->path.data + strlen(w->root) : w->path.data + d->path_len;
    while (*past == '/')
        past++;
    text_buf_clear(rel);
    return (!d->to_root || !*d->to_root
            || (text_buf_puts(rel, d->to_root) && text_buf_putc(rel, '/')))
           && (!*past || (text_buf_puts(rel, past) && text_buf_putc(rel, '/')))
           && text_buf_puts(rel, name);
}

/* Whether the entry name (of that d_type) of the folder being read, here on
 * the stack, matches a pattern of the .passimignore of here or of a folder
 * above it. */
static bool ignored(const walk_t *w, const dir_stack_t *here, const char *name,
                    unsigned char type)
{
    int folder = type == DT_DIR ? 1 : type == DT_UNKNOWN || type == DT_LNK ? -1 : 0;
    text_buf_t rel = TEXT_BUF_INIT;
    bool hit = false;
    for (const dir_stack_t *d = here; d && !hit; d = d->up)
        for (const ignore_t *p = d->ignore; p && p->glob && !hit; p++) {
            if (p->folders_only && folder < 0)
                folder = entry_is_folder(w, name);
            if (p->folders_only && !folder)
                continue;
            if (!p->path)
                hit = fnmatch(p->glob, name, 0) == 0;
            else
                hit = path_below(w, d, name, &rel) && fnmatch(p->glob, rel.data, FNM_PATHNAME) == 0;
        }
    text_buf_free(&rel);
    return hit;
}

int64_t idx_mtime_ns(const struct stat *st)
{
    const int64_t giga = 1000000000;
    int64_t sec = (int64_t)st->st_mtim.tv_sec;
    if (sec > (INT64_MAX - giga) / giga)
        return INT64_MAX;
    if (sec < INT64_MIN / giga + 1)
        return INT64_MIN;
    return sec * giga + st->st_mtim.tv_nsec;
}

static const char *rel_of(const walk_t *w, const char *path, const char *base);

/* Where the walk met path, the root or a path below it: the root's place and
 * the path below the root, links not resolved. malloc'ed; NULL if the root's
 * place is unknown or memory ran out. */
static char *place_of(const walk_t *w, const char *path)
{
    if (!w->root_place)
        return NULL;
    if (strcmp(path, w->root) == 0)
        return strdup(w->root_place);
    const char *slash = strrchr(path, '/');
    return idx_key_join(w->root_place, rel_of(w, path, slash ? slash + 1 : path));
}

static void problem(walk_t *w, const char *path, const char *what, int err)
{
    char msg[256];
    if (err == ENAMETOOLONG) /* past PATH_MAX */
        snprintf(msg, sizeof msg, "%s: its path is too long", what);
    else if (err)
        snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
    else
        snprintf(msg, sizeof msg, "%s", what);
    /* Below the root only: what a PATH that failed as a whole held is the
     * run's to judge (a link to a deleted file loses its article). */
    char *place = strcmp(path, w->root) != 0 ? place_of(w, path) : NULL;
    w->cb->problem(path, place, msg, IDX_WALK_FAILED, w->cb->payload);
    free(place);
}

/* A link back to the folder d, on the way down: its files are walked once,
 * from d, so nothing is missed and nothing has failed. */
static void loop_note(walk_t *w, const dir_stack_t *d)
{
    text_buf_t msg = TEXT_BUF_INIT;
    if (text_buf_printf(&msg, "symbolic link loop back to %.*s: not followed again",
                        (int)d->path_len, w->path.data))
        w->cb->problem(w->path.data, NULL, msg.data, IDX_WALK_NOTE, w->cb->payload);
    text_buf_free(&msg);
}

/* A name read from a folder, with its type as the folder says it (DT_REG,
 * DT_DIR, DT_LNK...; DT_UNKNOWN where the filesystem does not say). */
typedef struct entry {
    char *name;
    unsigned char type;
} entry_t;

static int cmp_entries(const void *a, const void *b)
{
    return strcmp(((const entry_t *)a)->name, ((const entry_t *)b)->name);
}

/* The path relative to the root: what follows the root and its slash. */
static const char *rel_of(const walk_t *w, const char *path, const char *base)
{
    size_t n = strlen(w->root);
    if (strncmp(path, w->root, n) == 0) {
        if (n > 0 && w->root[n - 1] == '/')   /* the root is "/" */
            return path + n;
        if (path[n] == '/')
            return path + n + 1;
    }
    return base; /* the root is the file itself: its name */
}

static int visit(walk_t *w, const dir_stack_t *up, unsigned char type);

char *idx_key_join(const char *dir_key, const char *name)
{
    char *key = NULL;
    bool root = strcmp(dir_key, "/") == 0;
    return asprintf(&key, "%s%s%s", dir_key, root ? "" : "/", name) < 0 ? NULL : key;
}

/* The canonical path of the walk's current path, which is up's entry of that
 * type (or the root, when up is the chain above it). An entry that its
 * folder says is no link (a file or a folder) is that folder's canonical path
 * and its name; realpath() would ask the kernel about every part of the path
 * again, for each file. NULL if it cannot be resolved, with errno set. */
static char *canonical(const walk_t *w, const dir_stack_t *up, unsigned char type)
{
    if (up == w->above || !up->key || (type != DT_REG && type != DT_DIR))
        return realpath(w->path.data, NULL);
    char *key = idx_key_join(up->key, w->path.data + up->path_len + 1);
    if (!key)
        errno = ENOMEM;
    return key;
}

/* Whether canonical path key is the index being written, in it, or one of
 * its temporary folders (DB.tmp-PID-NAME, beside it): never walked, and
 * worth a note only when a PATH given is one (own_index_note()). */
static bool own_index(const walk_t *w, const char *key)
{
    if (!w->skip_key || !key)
        return false;
    size_t n = strlen(w->skip_key);
    return strncmp(key, w->skip_key, n) == 0
           && (key[n] == '\0' || key[n] == '/' || strncmp(key + n, ".tmp-", 5) == 0);
}

/* Passing over the index being written: a note, and IDX_WALK_PASSED_OVER,
 * only when a PATH given is it or in it. */
static int own_index_passed(walk_t *w, const char *what)
{
    if (strcmp(w->path.data, w->root) != 0)
        return 0;
    w->cb->problem(w->path.data, NULL, what, IDX_WALK_NOTE, w->cb->payload);
    return IDX_WALK_PASSED_OVER;
}

static int visit_file(walk_t *w, const struct stat *st, const dir_stack_t *up,
                      unsigned char type)
{
    char *key = canonical(w, up, type);
    if (!key) {
        problem(w, w->path.data, "cannot resolve path", errno);
        return 0;
    }
    if (own_index(w, key)) {
        free(key);
        return own_index_passed(w, "skipped: a file of the index being written (--db)");
    }
    /* A PATH that is a file the run may not read fails as a PATH, as a
     * folder it cannot open does (a first run of nothing else makes no
     * index); a file inside a folder fails when it is read. */
    if (up == w->above) {
        int fd = open(w->path.data, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            problem(w, w->path.data, "cannot read", errno);
            free(key);
            return -1;
        }
        close(fd);
    }
    const char *slash = strrchr(w->path.data, '/');
    const char *base = slash ? slash + 1 : w->path.data;
    const char *rel = rel_of(w, w->path.data, base);
    /* Where it was met, and whether a link below the root led there. */
    char *place = place_of(w, w->path.data), *direct = NULL;
    if (w->root_key && strcmp(w->path.data, w->root) != 0)
        direct = idx_key_join(w->root_key, rel);
    idx_file_t f = {
        .path = w->path.data,
        .key = key,
        .place = place ? place : key,
        .rel = rel,
        .size = (uint64_t)st->st_size,
        .mtime_ns = idx_mtime_ns(st),
        .via_link = direct && strcmp(direct, key) != 0,
    };
    int rc = w->cb->file(&f, w->cb->payload);
    free(place);
    free(direct);
    free(key);
    return rc;
}


/* Whether name is a file that only a Xapian database folder holds: its
 * version file (one per backend) or its lock file. */
static bool index_file_name(const char *name)
{
    static const char *const names[] = {
        "iamglass", "iamchert", "iamflint", "iamhoney", "flintlock", NULL,
    };
    for (size_t i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

/* Tell the caller that name, in the folder with canonical path dir_key
 * (NULL: unknown), or that folder itself (name NULL), is passed over. */
static void skipped(walk_t *w, const char *dir_key, const char *name, const char *why)
{
    if (!w->cb->skipped || !dir_key)
        return;
    if (!name) {
        w->cb->skipped(dir_key, why, w->cb->payload);
        return;
    }
    char *key = idx_key_join(dir_key, name);
    if (key)
        w->cb->skipped(key, why, w->cb->payload);
    free(key);
}

/* Read the names of the open folder dir (canonical path dir_key) that the walk
 * enters into *names (n of them; unsorted), leaving out hidden and ignored
 * ones. *is_index is set if the folder is a Xapian database. Returns false if
 * memory ran out. */
static bool read_names(walk_t *w, DIR *dir, const char *dir_key, const dir_stack_t *here,
                       entry_t **names, size_t *n, bool *is_index)
{
    size_t cap = 0;
    struct dirent *e;
    /* readdir() says an error only through errno, which the calls between
     * two of them may change. */
    while ((errno = 0, e = readdir(dir)) != NULL) {
        const char *name = e->d_name;
        if (index_file_name(name))
            *is_index = true;
        if (name[0] == '.') {
            if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
                skipped(w, dir_key, name, "hidden name");
            continue;
        }
        if (ignored(w, here, name, e->d_type)) {
            skipped(w, dir_key, name, "ignored");
            continue;
        }
        entry_t *grown = text_grow(*names, &cap, *n + 1, sizeof *grown);
        if (!grown)
            return false;
        *names = grown;
        (*names)[*n].type = e->d_type;
        if (!((*names)[*n].name = strdup(e->d_name)))
            return false;
        (*n)++;
    }
    if (errno)
        problem(w, w->path.data, "cannot read folder", errno);
    return true;
}

static int visit_dir(walk_t *w, const struct stat *st, const dir_stack_t *up,
                     unsigned char type)
{
    for (const dir_stack_t *d = up; d != w->above; d = d->up)
        if (d->dev == st->st_dev && d->ino == st->st_ino) {
            loop_note(w, d);
            return 0;
        }
    char *key = canonical(w, up, type);
    if (own_index(w, key)) {
        free(key);
        return own_index_passed(w, "skipped: the index being written (--db), or a folder in it");
    }
    DIR *dir = opendir(w->path.data);
    if (!dir) {
        problem(w, w->path.data, "cannot open folder", errno);
        free(key);
        return up != w->above ? 0 : -1;
    }
    ignore_t *ignore;
    if (!read_ignore(w->path.data, &ignore)) {
        /* Walked without it, the folder would give up what it keeps out:
         * it is passed over as one that cannot be read. A folder that lists
         * its names but cannot be entered fails the same way, for that. */
        int err = errno;
        if (err == EACCES && access(w->path.data, X_OK) != 0)
            problem(w, w->path.data, "cannot enter folder", EACCES);
        else if (err == ENAMETOOLONG) /* the path to its .passimignore */
            problem(w, w->path.data, "cannot walk the folder", err);
        else {
            char what[160];
            snprintf(what, sizeof what, "cannot read its " IGNORE_FILE ", so the folder is not "
                     "walked: %s", ignore_strerror(err));
            problem(w, w->path.data, what, 0);
        }
        closedir(dir);
        free(key);
        return up != w->above ? 0 : -1;
    }
    entry_t *names = NULL;
    size_t n = 0;
    bool is_index = false;
    int rc = 0;
    dir_stack_t here = { .dev = st->st_dev, .ino = st->st_ino, .path_len = w->path.len,
                         .key = key, .ignore = ignore, .up = up };
    if (!read_names(w, dir, key, &here, &names, &n, &is_index))
        problem(w, w->path.data, "out of memory reading folder", 0);
    closedir(dir);
    if (is_index) {
        /* Another index (its files are not articles, and its lock and pid
         * files change with every run): passed over whole. */
        w->cb->problem(w->path.data, NULL, "skipped: a Xapian index folder", IDX_WALK_NOTE,
                       w->cb->payload);
        skipped(w, key, NULL, "in a Xapian index folder");
        if (up == w->above)
            rc = IDX_WALK_PASSED_OVER;
    } else if (n > 1) {
        qsort(names, n, sizeof *names, cmp_entries);
    }

    size_t keep = w->path.len;
    for (size_t i = 0; i < n && rc == 0 && !is_index; i++) {
        if (!text_buf_putc(&w->path, '/') || !text_buf_puts(&w->path, names[i].name))
            rc = -1;
        else
            rc = visit(w, &here, names[i].type);
        text_buf_truncate(&w->path, keep);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i].name);
    free(names);
    free_ignore(here.ignore);
    free(key);
    return rc;
}

static int visit(walk_t *w, const dir_stack_t *up, unsigned char type)
{
    struct stat st;
    if (stat(w->path.data, &st) != 0) {
        int err = errno;
        struct stat lst;
        bool listed = up != w->above; /* by its folder: no PATH given */
        if (lstat(w->path.data, &lst) == 0 && S_ISLNK(lst.st_mode))
            problem(w, w->path.data,
                    err == ELOOP ? "symbolic link loop" : "broken symbolic link", err == ELOOP ? 0 : err);
        else if (!(listed && err == ENOENT && errno == ENOENT))
            problem(w, w->path.data, "cannot read", err);
        /* else deleted since its folder listed it: nothing to index, and an
         * article of it goes as any deleted file's does */
        return listed ? 0 : -1;
    }
    if (S_ISDIR(st.st_mode))
        return visit_dir(w, &st, up, type);
    if (S_ISREG(st.st_mode))
        return visit_file(w, &st, up, type);
    if (up == w->above) {
        problem(w, w->path.data, "not a regular file or folder", 0);
        return -1;
    }
    /* a pipe, socket or device inside a folder: never text */
    w->cb->problem(w->path.data, NULL, "skipped: not a regular file", IDX_WALK_SKIPPED,
                   w->cb->payload);
    return 0;
}

/* Cut the canonical path to its parent ("/a/b" -> "/a", "/a" -> "/"). False,
 * and path unchanged, for "/". */
static bool to_parent(char *path)
{
    char *cut = strrchr(path, '/');
    if (!cut || strcmp(path, "/") == 0)
        return false;
    cut[cut == path ? 1 : 0] = '\0';
    return true;
}

/* The canonical path of the folder above root, as root is spelt: "a/b" is
 * below "a" even if b is a link to elsewhere (the walk from "a" would see b's
 * files under a's patterns too). NULL for "/" or if it cannot be resolved. */
static char *parent_key(const char *root)
{
    const char *slash = strrchr(root, '/');
    const char *base = slash ? slash + 1 : root;
    char *key = NULL;
    if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || *base == '\0') {
        /* "..", "a/." or "/": the parent of where it leads. */
        key = realpath(root, NULL);
        if (key && !to_parent(key)) {
            free(key);
            key = NULL;
        }
        return key;
    }
    if (!slash)
        return realpath(".", NULL);
    char *dir = strndup(root, slash == root ? 1 : (size_t)(slash - root));
    key = dir ? realpath(dir, NULL) : NULL;
    free(dir);
    return key;
}

/* path as the walk spells it: "a/b/" is "a/b"; "/" stays. */
static size_t trim_slashes(char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        path[--n] = '\0';
    return n;
}

char *idx_place_of(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return NULL;
    trim_slashes(p);
    const char *slash = strrchr(p, '/'), *base = slash ? slash + 1 : p;
    char *place = NULL;
    if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || *base == '\0') {
        place = realpath(p, NULL);
    } else {
        char *dir = parent_key(p);
        place = dir ? idx_key_join(dir, base) : NULL;
        free(dir);
    }
    free(p);
    return place;
}

/* The folders above the root that have a .passimignore, nearest first. */
typedef struct above {
    dir_stack_t *dirs;         /* linked through up, nearest first; NULL if none */
    size_t n;
} above_t;

/* Read the patterns of dir and the folders above it, up to top (or the
 * filesystem's root), into *a, each with root_at (the root's path, below
 * them all) cut to the root's path below it; dir is used up. A .passimignore
 * that cannot be read is noted, unless it lies above noted_above. */
static void read_chain(above_t *a, size_t *cap, char *dir, const char *root_at, const char *top,
                       const char *root, const char *noted_above, const idx_walk_cb_t *cb)
{
    for (bool last = !dir; !last;) {
        /* One above the PATHs that cannot be read is passed over, with a
         * note (once: not again if noted_above is below it): it may be
         * another user's, and the user's own folders are walked with
         * theirs read, or not at all. */
        ignore_t *pats = NULL;
        size_t n = strlen(dir);
        bool noted = noted_above && strncmp(noted_above, dir, n) == 0
                     && (noted_above[n] == '/' || (n > 0 && dir[n - 1] == '/'));
        if (!read_ignore(dir, &pats) && !noted) {
            int err = errno;
            text_buf_t msg = TEXT_BUF_INIT, path = TEXT_BUF_INIT;
            if (text_buf_printf(&path, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", IGNORE_FILE)
                && text_buf_printf(&msg, "cannot read it (%s): what it keeps out of %s is "
                                         "indexed", ignore_strerror(err), root))
                cb->problem(path.data, NULL, msg.data, IDX_WALK_NOTE, cb->payload);
            text_buf_free(&msg);
            text_buf_free(&path);
        }
        if (pats) {
            dir_stack_t *grown = text_grow(a->dirs, cap, a->n + 1, sizeof *grown);
            if (!grown) {
                free_ignore(pats);
                break;
            }
            a->dirs = grown;
            const char *below = root_at && strncmp(root_at, dir, n) == 0 ? root_at + n : NULL;
            while (below && *below == '/')
                below++;
            a->dirs[a->n++] = (dir_stack_t){ .ignore = pats,
                                             .to_root = below ? strdup(below) : NULL };
        }
        last = (top && strcmp(dir, top) == 0) || !to_parent(dir);
    }
    free(dir);
}

/*
 * Read the patterns of the folders above a folder root into *a: they apply
 * below those folders, so they apply below root whichever PATH was given:
 * those above the root as spelt ("a/b" is below "a" even if b is a link),
 * and those above where it leads, if elsewhere (a PATH that is a link to
 * "data/notes" is under data's patterns, as "data/notes" would be). The
 * search goes up to the folder that holds the index (skip_key's parent), as
 * git reads .gitignore files up to the top of the repository, or up to the
 * filesystem root when the index lies elsewhere. Out of memory, it stops
 * where it is.
 */
static void read_above(above_t *a, const char *root, const char *skip_key,
                       const idx_walk_cb_t *cb)
{
    char *top = NULL, *root_key = realpath(root, NULL);
    if (skip_key && (top = strdup(skip_key)) != NULL)
        to_parent(top);
    char *logical = idx_place_of(root);
    size_t cap = 0;
    /* Nothing above a root that holds the index itself. */
    if (!(top && root_key && strcmp(root_key, top) == 0)) {
        read_chain(a, &cap, parent_key(root), logical, top, root, NULL, cb);
        char *real_dir = root_key && logical && strcmp(root_key, logical) != 0
                         ? strdup(root_key) : NULL;
        if (real_dir && !to_parent(real_dir)) {
            free(real_dir);
            real_dir = NULL;
        }
        /* A folder above both is read again for the path below it where
         * the root leads: "notes/old.md" in r/.passimignore keeps out old.md
         * when the PATH is r/alias, a link to r/notes. */
        if (real_dir)
            read_chain(a, &cap, real_dir, root_key, top, root, logical, cb);
    }
    for (size_t i = 0; i + 1 < a->n; i++)
        a->dirs[i].up = &a->dirs[i + 1];
    free(top);
    free(root_key);
    free(logical);
}

static void free_above(above_t *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free_ignore(a->dirs[i].ignore);
        free((char *)a->dirs[i].to_root);
    }
    free(a->dirs);
}

int idx_walk(const char *root, const char *skip_key, const idx_walk_cb_t *cb)
{
    walk_t w = { .skip_key = skip_key, .cb = cb, .path = TEXT_BUF_INIT };
    if (!text_buf_puts(&w.path, root))
        return -1;
    /* "corpus/" and "corpus" are the same root. */
    w.path.len = trim_slashes(w.path.data);
    char *root_copy = strdup(w.path.data);
    if (!root_copy) {
        text_buf_free(&w.path);
        return -1;
    }
    w.root = root_copy;
    struct stat st;
    above_t above = { NULL, 0 };
    if (stat(root_copy, &st) == 0 && S_ISDIR(st.st_mode))
        read_above(&above, root_copy, skip_key, cb);
    w.above = above.dirs;
    w.root_place = idx_place_of(root_copy);
    w.root_key = realpath(root_copy, NULL);
    int rc = visit(&w, above.dirs, DT_UNKNOWN);
    free(w.root_place);
    free(w.root_key);
    free_above(&above);
    free(root_copy);
    text_buf_free(&w.path);
    return rc;
}
